// The HTTP API (the server's endpoints, as a network thread installs them) against the health
// state, in process: readiness follows the
// database and turns 503 the moment a shutdown begins; every request is counted by route.
#include "HttpProbe.h"
#include "auth/JwtToken.h"
#include "config/ServerConfig.h"
#include "endpoints/ServerEndpoints.h"
#include "metrics/MetricsRegistry.h"
#include "net/HttpRequestMetrics.h"
#include "net/ListenSocket.h"
#include "net/NetMetrics.h"
#include "net/http/HttpRouter.h"
#include "net/http/HttpServer.h"
#include "ops/HealthState.h"

#include <QJsonArray>
#include <QTest>
#include <QThread>

using namespace veza;

// The server runs on its own thread, as on a network thread; the blocking probe on this one.
class TestHttpApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_config.serviceName = QStringLiteral("veza-test");
        m_config.version = QStringLiteral("9.9.9");
        m_netMetrics = std::make_unique<net::NetMetrics>(m_registry);
        m_thread.start();
        QMetaObject::invokeMethod(
            &m_context,
            [this] {
                QString error;
                const auto listener =
                    net::ListenSocket::open(QHostAddress::LocalHost, 0, 16, &error);
                QVERIFY2(listener, qPrintable(error));
                m_port = listener->port;
                net::countHttpRequests(m_router, *m_netMetrics);
                m_endpoints = std::make_unique<endpoints::ServerEndpoints>(m_endpointsContext,
                                                                           nullptr, &m_context);
                m_endpoints->installRoutes(m_router);
                m_server = new net::http::HttpServer(
                    [this](const net::http::HttpRequest &request,
                           net::http::HttpResponder responder) {
                        m_router.dispatch(request, std::move(responder));
                    },
                    std::nullopt);
                QVERIFY(m_server->listen(listener->fd, &error));
            },
            Qt::BlockingQueuedConnection);
    }

    void cleanupTestCase()
    {
        QMetaObject::invokeMethod(
            &m_context, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    void readinessFollowsHealthState()
    {
        testing::HttpReply reply = testing::HttpProbe::getOnce(m_port, "/health/ready");
        QCOMPARE(reply.status, 503);
        QVERIFY(reply.json()
                    .value(QStringLiteral("failing"))
                    .toArray()
                    .contains(QStringLiteral("database: migrations not applied")));

        m_health.setMigrationsApplied(true);
        m_health.setDatabaseProblem(QString());
        reply = testing::HttpProbe::getOnce(m_port, "/health/ready");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
        QCOMPARE(reply.json().value(QStringLiteral("version")).toString(), QStringLiteral("9.9.9"));

        m_health.setDatabaseProblem(QStringLiteral("database: no answer within 5000 ms"));
        reply = testing::HttpProbe::getOnce(m_port, "/health/ready");
        QCOMPARE(reply.status, 503);
        QVERIFY(reply.json()
                    .value(QStringLiteral("failing"))
                    .toArray()
                    .contains(QStringLiteral("database: no answer within 5000 ms")));
        m_health.setDatabaseProblem(QString());
    }

    void shutdownTurnsReadinessOffAtOnceButNotLiveness()
    {
        m_health.setMigrationsApplied(true);
        m_health.setDatabaseProblem(QString());
        testing::HttpProbe keptAlive(m_port);
        QCOMPARE(keptAlive.get("/health/ready").status, 200);
        m_health.setShuttingDown();
        const testing::HttpReply ready = keptAlive.get("/health/ready");
        QCOMPARE(ready.status, 503);
        QVERIFY(ready.json()
                    .value(QStringLiteral("failing"))
                    .toArray()
                    .contains(QStringLiteral("shutting down")));
        QCOMPARE(keptAlive.get("/health/live").status, 200);
    }

    void requestsAreCountedByRouteTemplate()
    {
        QCOMPARE(testing::HttpProbe::getOnce(m_port, "/health/live").status, 200);
        QCOMPARE(testing::HttpProbe::getOnce(m_port, "/no/such/thing?x=1").status, 404);
        QCOMPARE(testing::HttpProbe::getOnce(m_port, "/another/unknown").status, 404);
        const QByteArray text = m_registry.render();
        QVERIFY(text.contains(
            R"(http_requests_total{method="GET",route="/health/live",status="200"})"));
        QVERIFY2(
            text.contains(R"(http_requests_total{method="GET",route="unmatched",status="404"} 2)"),
            text.constData());
        QVERIFY(!text.contains("/no/such/thing"));
    }

    void moderationLogChecksTheTokenBeforeTheDatabase()
    {
        auto get = [this](const QByteArray &token, const QByteArray &query = {}) {
            testing::HttpProbe probe(m_port);
            return probe.get("/api/moderation/actions" + query, 5000,
                             token.isEmpty() ? QByteArray()
                                             : "Authorization: Bearer " + token + "\r\n");
        };
        QCOMPARE(get({}).status, 401);
        QCOMPARE(get("garbage").json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("unauthorized"));
        QCOMPARE(get(token(QStringLiteral("listener"))).status, 403);
        QCOMPARE(get(token(QStringLiteral("moderator")), "?limit=500").status, 400);
        // No database in this test: a valid request cannot be served.
        QCOMPARE(get(token(QStringLiteral("admin"))).status, 503);
        const QByteArray text = m_registry.render();
        QVERIFY2(text.contains("http_requests_total{method=\"GET\",route=\"/api/moderation/"
                               "actions\",status=\"403\"} 1"),
                 text.constData());
    }

private:
    static constexpr const char *kSecret = "test-secret-for-the-http-api-0123456789";

    static QByteArray token(const QString &role)
    {
        auth::Claims claims;
        claims.subject = QStringLiteral("someone");
        claims.roles = {role};
        claims.issuedAt = QDateTime::currentDateTimeUtc();
        claims.expiresAt = claims.issuedAt.addSecs(300);
        return auth::signToken(claims, kSecret);
    }

    config::ServerConfig m_config;
    ops::HealthState m_health;
    metrics::MetricsRegistry m_registry;
    std::unique_ptr<net::NetMetrics> m_netMetrics;
    endpoints::EndpointsContext m_endpointsContext{m_config, m_health, nullptr, {{kSecret}}};
    std::unique_ptr<endpoints::ServerEndpoints> m_endpoints;
    QThread m_thread;
    QObject m_context; // lives on m_thread
    net::http::HttpRouter m_router;
    net::http::HttpServer *m_server = nullptr;
    quint16 m_port = 0;

public:
    TestHttpApi() { m_context.moveToThread(&m_thread); }
};

QTEST_GUILESS_MAIN(TestHttpApi)
#include "tst_httpapi.moc"
