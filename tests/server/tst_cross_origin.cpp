// Browser pages against the real binary (ENABLE_CORS, ALLOWED_ORIGINS): a preflight from an
// allowed origin is answered with the path's methods, one from elsewhere refused; API answers
// carry Access-Control-Allow-Origin for allowed origins only, 429s included; a WebSocket
// upgrade from a page of another origin is refused with 403 while clients without Origin
// (players, encoders, the console) are not affected; `*` allows any page.
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"

#include <QTest>

using namespace veza::testing;

namespace {

// The status line of a WebSocket upgrade to `path` sent with `origin` (none when empty).
QByteArray upgradeStatus(quint16 port, const QByteArray &path, const QByteArray &origin)
{
    RawClient client(port);
    client.send("GET " + path +
                " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                (origin.isEmpty() ? QByteArray() : "Origin: " + origin + "\r\n") + "\r\n");
    const QByteArray answer = client.read(5000, 4096, "\r\n");
    return answer.left(answer.indexOf("\r\n"));
}

QByteArray headerOf(const HttpReply &reply, const QByteArray &name)
{
    for (const QByteArray &line : reply.headers.split('\n')) {
        if (line.toLower().startsWith(QByteArray(name.toLower() + ':')))
            return line.mid(name.size() + 1).trimmed();
    }
    return {};
}

} // namespace

class TestCrossOrigin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The documented default list: https://veza.live and https://app.veza.live.
        m_server.setEnv(QStringLiteral("RATE_LIMIT_PER_MINUTE"), QStringLiteral("2"));
        QVERIFY2(m_server.start(), qPrintable(m_server.diagnostics()));
        m_token = m_server.token(QStringLiteral("ana"), QStringLiteral("broadcaster"));
    }

    void preflightsAnswerAllowedOrigins()
    {
        const HttpReply allowed = HttpProbe(m_server.httpPort())
                                      .request("OPTIONS", "/api/streams", {}, 5000,
                                               "Origin: https://app.veza.live\r\n"
                                               "Access-Control-Request-Method: POST\r\n"
                                               "Access-Control-Request-Headers: authorization\r\n");
        QCOMPARE(allowed.status, 204);
        QCOMPARE(headerOf(allowed, "Access-Control-Allow-Origin"),
                 QByteArray("https://app.veza.live"));
        const QByteArray methods = headerOf(allowed, "Access-Control-Allow-Methods");
        QVERIFY2(methods.contains("POST") && methods.contains("GET"), methods.constData());
        QVERIFY(headerOf(allowed, "Access-Control-Allow-Headers").contains("Authorization"));

        const HttpReply elsewhere = HttpProbe(m_server.httpPort())
                                        .request("OPTIONS", "/api/streams", {}, 5000,
                                                 "Origin: https://evil.example\r\n"
                                                 "Access-Control-Request-Method: POST\r\n");
        QCOMPARE(elsewhere.status, 403);
        QVERIFY(headerOf(elsewhere, "Access-Control-Allow-Origin").isEmpty());
    }

    void apiAnswersNameAllowedOriginsOnly()
    {
        const QByteArray bearer = "Authorization: Bearer " + m_token + "\r\n";
        const HttpReply allowed =
            HttpProbe(m_server.httpPort())
                .get("/api/streams", 5000, bearer + "Origin: https://veza.live\r\n");
        QCOMPARE(allowed.status, 200);
        QCOMPARE(headerOf(allowed, "Access-Control-Allow-Origin"), QByteArray("https://veza.live"));
        QCOMPARE(headerOf(allowed, "Vary"), QByteArray("Origin"));
        const HttpReply elsewhere =
            HttpProbe(m_server.httpPort())
                .get("/api/streams", 5000, bearer + "Origin: https://evil.example\r\n");
        QCOMPARE(elsewhere.status, 200); // the browser, not the server, withholds the answer
        QVERIFY(headerOf(elsewhere, "Access-Control-Allow-Origin").isEmpty());
        // A page over its rate limit can read why (Retry-After is exposed).
        const HttpReply limited =
            HttpProbe(m_server.httpPort())
                .get("/api/streams", 5000, bearer + "Origin: https://veza.live\r\n");
        QCOMPARE(limited.status, 429);
        QCOMPARE(headerOf(limited, "Access-Control-Allow-Origin"), QByteArray("https://veza.live"));
        QVERIFY(headerOf(limited, "Access-Control-Expose-Headers").contains("Retry-After"));
    }

    void webSocketsCheckTheOrigin()
    {
        const quint16 port = m_server.webSocketPort();
        QCOMPARE(upgradeStatus(port, "/chat", "https://evil.example"),
                 QByteArray("HTTP/1.1 403 Forbidden"));
        QCOMPARE(upgradeStatus(port, "/chat", "https://app.veza.live"),
                 QByteArray("HTTP/1.1 101 Switching Protocols"));
        QCOMPARE(upgradeStatus(port, "/chat", {}), QByteArray("HTTP/1.1 101 Switching Protocols"));
        QVERIFY(scrapeMetric(
                    m_server.metricsPort(),
                    "websocket_connections_rejected_total{reason=\"origin_not_allowed\"}") >= 1);
    }

    void anyOriginWithAStar()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("ALLOWED_ORIGINS"), QStringLiteral("*"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        QCOMPARE(upgradeStatus(server.webSocketPort(), "/chat", "http://localhost:5173"),
                 QByteArray("HTTP/1.1 101 Switching Protocols"));
        const HttpReply preflight = HttpProbe(server.httpPort())
                                        .request("OPTIONS", "/api/streams", {}, 5000,
                                                 "Origin: http://localhost:5173\r\n"
                                                 "Access-Control-Request-Method: GET\r\n");
        QCOMPARE(preflight.status, 204);
        QCOMPARE(headerOf(preflight, "Access-Control-Allow-Origin"),
                 QByteArray("http://localhost:5173"));
    }

    void corsOffAnswersNoPreflight()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("ENABLE_CORS"), QStringLiteral("false"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const HttpReply preflight = HttpProbe(server.httpPort())
                                        .request("OPTIONS", "/api/streams", {}, 5000,
                                                 "Origin: https://veza.live\r\n"
                                                 "Access-Control-Request-Method: GET\r\n");
        QCOMPARE(preflight.status, 403);
        // The list still guards the WebSockets.
        QCOMPARE(upgradeStatus(server.webSocketPort(), "/chat", "https://evil.example"),
                 QByteArray("HTTP/1.1 403 Forbidden"));
    }

private:
    ServerProcess m_server;
    QByteArray m_token;
};

QTEST_MAIN(TestCrossOrigin)
#include "tst_cross_origin.moc"
