// Clients that hold what they should let go, against the real binary: a HEAD on a live stream
// and an early refusal are answered and their connections closed by the server even while the
// client keeps its end open (the server's descriptor count comes back); a WebSocket on `/`
// answers pings without a token but is closed with 4401 after 10 s unless it authenticates;
// a session whose token expires is closed with 4401 unless a fresh `auth` frame came first;
// with JWT_ISSUER and JWT_AUDIENCE set, tokens from elsewhere are refused everywhere; one
// address cannot hold more than MAX_CONNECTIONS_PER_IP connections, nor the server more than
// MAX_HTTP_CONNECTIONS HTTP ones; the HTTP API allows RATE_LIMIT_PER_MINUTE requests a minute;
// behind TRUSTED_PROXIES the forwarded client is the one counted.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "IngestTools.h"
#include "JsonSocket.h"
#include "ServerProcess.h"
#include "auth/JwtToken.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QTest>
#include <QWebSocket>

using namespace veza::testing;

namespace {

int openDescriptors(qint64 pid)
{
    return int(QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                   .entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)
                   .size());
}

const QByteArray kSecret = QByteArrayLiteral("a-test-secret-of-at-least-32-bytes!!");

// A token signed with the test servers' JWT_SECRET, with `iss`/`aud` when given.
QByteArray signedToken(const QString &user, const QString &issuer, const QString &audience,
                       qint64 ttlS = 3600)
{
    veza::auth::Claims claims;
    claims.subject = user;
    claims.issuedAt = QDateTime::currentDateTimeUtc();
    claims.expiresAt = claims.issuedAt.addSecs(ttlS);
    if (!issuer.isEmpty())
        claims.extra.insert(QStringLiteral("iss"), issuer);
    if (!audience.isEmpty())
        claims.extra.insert(QStringLiteral("aud"), audience);
    return veza::auth::signToken(claims, kSecret);
}

// The message of the last error frame the client received.
QString lastError(const ChatTestClient &client)
{
    const QList<QJsonObject> frames = client.received();
    for (auto it = frames.crbegin(); it != frames.crend(); ++it) {
        if (it->value(u"type").toString() == u"error")
            return it->value(u"message").toString();
    }
    return {};
}

// Whether a new HTTP client is answered 200 within 15 s, once places were freed. Each try is
// a connection of its own, which the server may not yet know closed when the next comes: the
// first 200 is kept, not asked for again.
bool answersAgain(const ServerProcess &server)
{
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (HttpProbe(server.httpPort()).get("/health/live", 3000).status == 200)
            return true;
        QTest::qWait(50);
    }
    return false;
}

} // namespace

class TestHostileClients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server.setEnv(QStringLiteral("JWT_SECRET"), QString::fromLatin1(kSecret));
        QVERIFY2(m_server.start(), qPrintable(m_server.diagnostics()));
    }

    // The server closes what it answered early, whatever the client does with its end.
    void earlyAnswersCloseTheirConnections()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg is needed");
        const QByteArray dj = m_server.token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        const QByteArray key = createStream(m_server, dj, QStringLiteral("held"));
        auto source =
            startTool(QStringLiteral("ffmpeg"),
                      ffmpegSineSource(m_server.httpPort(), key, QStringLiteral("held"), 30), true);
        QVERIFY(waitForStreamState(m_server, dj, QStringLiteral("held"), QStringLiteral("live"),
                                   10000));
        QTest::qWait(500);
        const int before = openDescriptors(m_server.processId());

        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 20; ++i) {
            auto head = std::make_unique<RawClient>(m_server.httpPort());
            head->send("HEAD /live/held HTTP/1.1\r\nHost: x\r\n\r\n");
            QVERIFY(head->read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));
            clients.push_back(std::move(head));
            // A body announced too large: refused before it is sent.
            auto refused = std::make_unique<RawClient>(m_server.httpPort());
            refused->send("POST /api/streams HTTP/1.1\r\nHost: x\r\n"
                          "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n");
            const QByteArray answer = refused->read(5000, 4096, "\r\n\r\n");
            QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
            clients.push_back(std::move(refused));
        }
        QVERIFY(openDescriptors(m_server.processId()) >= before + 20);
        // Every client still holds its end: the server's descriptors come back all the same.
        QTRY_VERIFY_WITH_TIMEOUT(openDescriptors(m_server.processId()) <= before + 1, 8000);
        for (const auto &client : clients)
            QVERIFY(client->waitForClose(1000));
        source->kill();
        source->waitForFinished(5000);
    }

    void livenessSocketAsksForATokenWithinTenSeconds()
    {
        JsonSocket anonymous;
        anonymous.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.webSocketPort())));
        QTRY_VERIFY(anonymous.isConnected());
        anonymous.send({{QStringLiteral("type"), QStringLiteral("ping")}});
        QVERIFY(!anonymous.waitFor(QStringLiteral("pong")).isEmpty()); // a load balancer's check

        JsonSocket authenticated;
        authenticated.open(
            QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.webSocketPort())));
        QTRY_VERIFY(authenticated.isConnected());
        authenticated.send({{QStringLiteral("type"), QStringLiteral("auth")},
                            {QStringLiteral("token"),
                             QString::fromLatin1(m_server.token(QStringLiteral("watcher")))}});
        QVERIFY(!authenticated.waitFor(QStringLiteral("ack")).isEmpty());

        QCOMPARE(anonymous.waitClosed(13000), 4401);
        const QJsonObject error = anonymous.lastOf(QStringLiteral("error"));
        QCOMPARE(error.value(u"message").toString(), QStringLiteral("no access token within 10 s"));
        QVERIFY(authenticated.isConnected());
        authenticated.send({{QStringLiteral("type"), QStringLiteral("ping")}});
        QVERIFY(!authenticated.waitFor(QStringLiteral("pong")).isEmpty());
    }

    // A chat session lives as long as its token, and longer with a fresh one.
    void expiredTokensEndTheirSessions()
    {
        const QByteArray shortLived = signedToken(QStringLiteral("nina"), {}, {}, 3);
        ChatTestClient expiring;
        expiring.open(m_server.webSocketPort(), shortLived);
        QVERIFY(expiring.waitConnected());
        ChatTestClient refreshed;
        refreshed.open(m_server.webSocketPort(), shortLived);
        QVERIFY(refreshed.waitConnected());
        const QJsonObject answer = refreshed.answerTo(refreshed.request(
            QStringLiteral("auth"),
            {{QStringLiteral("token"),
              QString::fromLatin1(signedToken(QStringLiteral("nina"), {}, {}, 3600))}}));
        QCOMPARE(answer.value(u"type").toString(), QStringLiteral("ack"));
        QVERIFY(answer.value(u"expires_at").toDouble() >
                QDateTime::currentMSecsSinceEpoch() + 3000000);
        // Another user's token is no refresh.
        const QJsonObject other = refreshed.answerTo(refreshed.request(
            QStringLiteral("auth"),
            {{QStringLiteral("token"),
              QString::fromLatin1(signedToken(QStringLiteral("mallory"), {}, {}))}}));
        QCOMPARE(other.value(u"code").toString(), QStringLiteral("forbidden"));

        QVERIFY(expiring.waitClosed(8000));
        QCOMPARE(int(expiring.socket().closeCode()), 4401);
        QCOMPARE(lastError(expiring), QStringLiteral("token expired"));
        QTest::qWait(1500);
        QCOMPARE(refreshed.socket().state(), QAbstractSocket::ConnectedState);
    }

    // A broadcaster on /ingest with an access token (not a stream key) broadcasts as long as
    // its token, or a fresh one sent in an `auth` frame.
    void ingestEndsWithItsToken()
    {
        const QByteArray dj = m_server.token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        QVERIFY(!createStream(m_server, dj, QStringLiteral("expiring")).isEmpty());
        QVERIFY(!createStream(m_server, dj, QStringLiteral("refreshed")).isEmpty());
        const QByteArray shortLived = signedToken(QStringLiteral("dj"), {}, {}, 3);
        const auto ingest = [this](JsonSocket &source, const QString &name,
                                   const QByteArray &token) {
            source.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ingest/%2?format=ogg")
                                 .arg(m_server.webSocketPort())
                                 .arg(name)),
                        token);
            return !source.waitFor(QStringLiteral("ready")).isEmpty();
        };
        JsonSocket expiring, refreshed;
        QVERIFY(ingest(expiring, QStringLiteral("expiring"), shortLived));
        QVERIFY(ingest(refreshed, QStringLiteral("refreshed"), shortLived));
        refreshed.send({{QStringLiteral("type"), QStringLiteral("auth")},
                        {QStringLiteral("id"), QStringLiteral("r1")},
                        {QStringLiteral("token"),
                         QString::fromLatin1(signedToken(QStringLiteral("dj"), {}, {}, 3600))}});
        const QJsonObject ack = refreshed.waitFor(QStringLiteral("ack"));
        QVERIFY(ack.value(u"expires_at").toDouble() >
                QDateTime::currentMSecsSinceEpoch() + 3000000);

        QCOMPARE(expiring.waitClosed(8000), 4401);
        QCOMPARE(expiring.socket().closeReason(), QStringLiteral("token expired"));
        QTest::qWait(1500);
        QVERIFY(refreshed.isConnected());
    }

    // MAX_CONNECTIONS_PER_USER counts a user's WebSocket sessions across endpoints; the next
    // one is told why and closed with 4429; another user is not affected; a session that ends
    // gives its place back.
    void sessionsPerUserAreCapped()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("JWT_SECRET"), QString::fromLatin1(kSecret));
        server.setEnv(QStringLiteral("MAX_CONNECTIONS_PER_USER"), QStringLiteral("2"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QByteArray ana = signedToken(QStringLiteral("ana"), {}, {});
        auto first = std::make_unique<ChatTestClient>();
        first->open(server.webSocketPort(), ana);
        QVERIFY(first->waitConnected());
        JsonSocket liveness; // `/` with a token counts too
        liveness.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.webSocketPort())), ana);
        QTRY_VERIFY(liveness.isConnected());

        ChatTestClient third;
        third.open(server.webSocketPort(), ana);
        QVERIFY(third.waitClosed(5000));
        QCOMPARE(int(third.socket().closeCode()), 4429);
        QCOMPARE(lastError(third),
                 QStringLiteral("too many connections for this user (at most 2 at once)"));
        QCOMPARE(third.received().last().value(u"code").toString(), QStringLiteral("rate_limited"));

        ChatTestClient bob;
        bob.open(server.webSocketPort(), signedToken(QStringLiteral("bob"), {}, {}));
        QVERIFY(bob.waitConnected());
        QTest::qWait(300);
        QCOMPARE(bob.socket().state(), QAbstractSocket::ConnectedState);

        first.reset(); // ana's place comes back once the server sees the close
        QDeadlineTimer deadline(5000);
        bool again = false;
        while (!again && !deadline.hasExpired()) {
            ChatTestClient retry;
            retry.open(server.webSocketPort(), ana);
            QVERIFY(retry.waitConnected());
            QTest::qWait(200);
            again = retry.socket().state() == QAbstractSocket::ConnectedState;
        }
        QVERIFY(again);
    }

    // MAX_STREAMS_PER_USER streams owned, ROOMS_PER_USER_PER_HOUR rooms created (by
    // create_room or by the first join of a public room); admins are not capped.
    void ownershipIsCapped()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("JWT_SECRET"), QString::fromLatin1(kSecret));
        server.setEnv(QStringLiteral("MAX_STREAMS_PER_USER"), QStringLiteral("2"));
        server.setEnv(QStringLiteral("ROOMS_PER_USER_PER_HOUR"), QStringLiteral("2"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const auto create = [&server](const QByteArray &token, const QString &name) {
            const QJsonObject body{{QStringLiteral("name"), name}};
            return HttpProbe(server.httpPort())
                .request("POST", "/api/streams", QJsonDocument(body).toJson(), 5000,
                         "Authorization: Bearer " + token + "\r\n");
        };
        const QByteArray dj = server.token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        QCOMPARE(create(dj, QStringLiteral("one")).status, 201);
        QCOMPARE(create(dj, QStringLiteral("two")).status, 201);
        const HttpReply third = create(dj, QStringLiteral("three"));
        QCOMPARE(third.status, 403);
        QCOMPARE(third.json().value(u"reason").toString(),
                 QStringLiteral("at most 2 streams per user: delete one first"));
        QCOMPARE(HttpProbe(server.httpPort())
                     .request("DELETE", "/api/streams/one", {}, 5000,
                              "Authorization: Bearer " + dj + "\r\n")
                     .status,
                 204);
        QCOMPARE(create(dj, QStringLiteral("three")).status, 201);
        const QByteArray admin = server.token(QStringLiteral("root"), QStringLiteral("admin"));
        for (const QString &name :
             {QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("a3")})
            QCOMPARE(create(admin, name).status, 201);

        ChatTestClient ana;
        ana.open(server.webSocketPort(), signedToken(QStringLiteral("ana"), {}, {}));
        QVERIFY(ana.waitConnected());
        const auto ask = [](ChatTestClient &client, const QString &type, const QString &room) {
            return client.answerTo(client.request(type, {{QStringLiteral("room"), room}}));
        };
        QCOMPARE(ask(ana, QStringLiteral("create_room"), QStringLiteral("r1")).value(u"type"),
                 QStringLiteral("ack"));
        QCOMPARE(ask(ana, QStringLiteral("join"), QStringLiteral("r2")).value(u"type"),
                 QStringLiteral("ack")); // created by joining it
        for (const QString &type : {QStringLiteral("create_room"), QStringLiteral("join")}) {
            const QJsonObject refused = ask(ana, type, QStringLiteral("r3"));
            QCOMPARE(refused.value(u"code").toString(), QStringLiteral("rate_limited"));
            QCOMPARE(refused.value(u"message").toString(),
                     QStringLiteral("at most 2 new rooms an hour"));
            const double retry = refused.value(u"retry_after_ms").toDouble();
            QVERIFY2(retry > 3500000 && retry <= 3600000, qPrintable(QString::number(retry)));
        }
        QCOMPARE(ask(ana, QStringLiteral("join"), QStringLiteral("r1")).value(u"type"),
                 QStringLiteral("ack")); // an existing room is no creation
        ChatTestClient bob;              // bob's own budget
        bob.open(server.webSocketPort(), signedToken(QStringLiteral("bob"), {}, {}));
        QVERIFY(bob.waitConnected());
        QCOMPARE(ask(bob, QStringLiteral("create_room"), QStringLiteral("r3")).value(u"type"),
                 QStringLiteral("ack"));
    }

    void issuerAndAudienceAreChecked()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("JWT_SECRET"), QString::fromLatin1(kSecret));
        server.setEnv(QStringLiteral("JWT_ISSUER"), QStringLiteral("https://id.veza.test"));
        server.setEnv(QStringLiteral("JWT_AUDIENCE"), QStringLiteral("veza-api"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const auto status = [&server](const QByteArray &token) {
            return HttpProbe(server.httpPort())
                .get("/api/streams", 5000, "Authorization: Bearer " + token + "\r\n")
                .status;
        };
        // `veza-server token` signs for this issuer and audience.
        QCOMPARE(status(server.token(QStringLiteral("ana"))), 200);
        QCOMPARE(status(signedToken(QStringLiteral("ana"), QStringLiteral("https://id.veza.test"),
                                    QStringLiteral("veza-api"))),
                 200);
        QCOMPARE(status(signedToken(QStringLiteral("ana"), {}, QStringLiteral("veza-api"))), 401);
        QCOMPARE(status(signedToken(QStringLiteral("ana"), QStringLiteral("https://evil.test"),
                                    QStringLiteral("veza-api"))),
                 401);
        QCOMPARE(status(signedToken(QStringLiteral("ana"), QStringLiteral("https://id.veza.test"),
                                    QStringLiteral("another-api"))),
                 401);
        // The same on the WebSockets.
        ChatTestClient chat;
        chat.open(server.webSocketPort(),
                  signedToken(QStringLiteral("ana"), QStringLiteral("https://evil.test"),
                              QStringLiteral("veza-api")));
        QVERIFY(chat.waitClosed(5000));
        QCOMPARE(int(chat.socket().closeCode()), 4401);
        QCOMPARE(lastError(chat), QStringLiteral("token from another issuer"));
    }

    // One address holds MAX_CONNECTIONS_PER_IP connections, HTTP and WebSocket together; the
    // next is told why; a connection that ends frees its place.
    void connectionsPerAddressAreCapped()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("MAX_CONNECTIONS_PER_IP"), QStringLiteral("4"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        std::vector<std::unique_ptr<RawClient>> held;
        for (int i = 0; i < 2; ++i) {
            held.push_back(std::make_unique<RawClient>(server.httpPort()));
            held.back()->send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            QVERIFY(held.back()->read(5000, 4096, "}").startsWith("HTTP/1.1 200"));
        }
        QWebSocket first, second;
        for (QWebSocket *socket : {&first, &second})
            socket->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.webSocketPort())));
        QTRY_VERIFY(first.state() == QAbstractSocket::ConnectedState &&
                    second.state() == QAbstractSocket::ConnectedState);

        RawClient http(server.httpPort());
        http.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
        const QByteArray refused = http.read(5000, 4096, "}");
        QVERIFY2(refused.startsWith("HTTP/1.1 429"), refused.constData());
        QVERIFY(refused.contains("Retry-After: 5"));
        QVERIFY(refused.contains("max_connections_per_ip"));
        QVERIFY(http.waitForClose(4000));
        RawClient upgrade(server.webSocketPort());
        upgrade.send(
            "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QVERIFY(upgrade.read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 429"));

        held.pop_back(); // one place freed
        QVERIFY(answersAgain(server));
        QTRY_VERIFY(scrapeMetric(
                        server.metricsPort(),
                        "http_connections_rejected_total{reason=\"max_connections_per_ip\"}") >= 1);
        QVERIFY(scrapeMetric(
                    server.metricsPort(),
                    "websocket_connections_rejected_total{reason=\"max_connections_per_ip\"}") >=
                1);
    }

    // Past MAX_HTTP_CONNECTIONS (audio listeners count too) the next HTTP client gets 503.
    void httpConnectionsAreCapped()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("MAX_HTTP_CONNECTIONS"), QStringLiteral("3"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        std::vector<std::unique_ptr<RawClient>> held;
        for (int i = 0; i < 3; ++i) {
            held.push_back(std::make_unique<RawClient>(server.httpPort()));
            held.back()->send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            QVERIFY(held.back()->read(5000, 4096, "}").startsWith("HTTP/1.1 200"));
        }
        RawClient over(server.httpPort());
        over.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
        const QByteArray refused = over.read(5000, 4096, "}");
        QVERIFY2(refused.startsWith("HTTP/1.1 503"), refused.constData());
        QVERIFY(refused.contains("max_http_connections"));
        held.clear();
        QVERIFY(answersAgain(server));
    }

    // RATE_LIMIT_PER_MINUTE per user with a valid token, per address without one (a forged
    // token counts there too); health checks are not the API.
    void apiRequestsAreRateLimited()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("JWT_SECRET"), QString::fromLatin1(kSecret));
        server.setEnv(QStringLiteral("RATE_LIMIT_PER_MINUTE"), QStringLiteral("5"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const auto get = [&server](const QByteArray &token) {
            return HttpProbe(server.httpPort())
                .get("/api/streams", 5000,
                     token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n");
        };
        const QByteArray ana = signedToken(QStringLiteral("ana"), {}, {});
        for (int i = 0; i < 5; ++i)
            QCOMPARE(get(ana).status, 200);
        const HttpReply limited = get(ana);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json().value(u"error").toString(), QStringLiteral("rate_limited"));
        const qint64 retryMs = limited.json().value(u"retry_after_ms").toInteger();
        QVERIFY2(retryMs > 0 && retryMs <= 12000, qPrintable(QString::number(retryMs)));
        // 5 a minute: a request every 12 s.
        QVERIFY2(limited.headers.contains("Retry-After: 12\r\n") ||
                     limited.headers.contains("Retry-After: 11\r\n"),
                 limited.headers.constData());
        QCOMPARE(get(signedToken(QStringLiteral("bob"), {}, {})).status, 200); // bob's own budget

        for (int i = 0; i < 5; ++i)
            QCOMPARE(get({}).status, 401);
        QCOMPARE(get({}).status, 429);
        QCOMPARE(get("forged.token.value").status, 429); // the sender's address, not a new key
        QCOMPARE(HttpProbe(server.httpPort()).get("/health/live").status, 200);
    }

    // An API request's body is read only once its route and token are accepted: a client
    // without a token is answered before it sends a byte of the body (before "100 Continue"),
    // and the connection ends, whatever it announced.
    void requestBodiesWaitForRouteAndToken()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("JWT_SECRET"), QString::fromLatin1(kSecret));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const auto post = [&server](const QByteArray &method, const QByteArray &path,
                                    const QByteArray &token) {
            auto client = std::make_unique<RawClient>(server.httpPort());
            client->send(
                method + " " + path + " HTTP/1.1\r\nHost: x\r\n" +
                (token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n") +
                "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                "Content-Length: 1000000\r\n\r\n");
            return client;
        };
        const auto refusedAtOnce = [](RawClient &client, QByteArrayView status) {
            const QByteArray answer = client.read(3000, 4096, "}");
            return answer.startsWith(status) && client.waitForClose(3000);
        };
        QVERIFY(refusedAtOnce(*post("POST", "/api/streams", {}), "HTTP/1.1 401"));
        QVERIFY(refusedAtOnce(*post("POST", "/api/streams", "forged.token.value"), "HTTP/1.1 401"));
        const QByteArray expired = signedToken(QStringLiteral("ana"), {}, {}, -60);
        QVERIFY(refusedAtOnce(*post("POST", "/api/streams", expired), "HTTP/1.1 401"));
        const QByteArray ana = signedToken(QStringLiteral("ana"), {}, {});
        QVERIFY(refusedAtOnce(*post("POST", "/api/no-such-thing", ana), "HTTP/1.1 404"));
        QVERIFY(refusedAtOnce(*post("PUT", "/api/streams", ana), "HTTP/1.1 405"));

        // With a valid token the client is asked for the body, and its request is answered.
        auto accepted = post("POST", "/api/streams", ana);
        QVERIFY(accepted->read(3000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 100 Continue"));
        accepted->send(QByteArray(1000000, ' '));
        const QByteArray answer = accepted->read(5000, 4096, "}");
        // The route itself then answers: ana is no broadcaster.
        QVERIFY2(answer.startsWith("HTTP/1.1 403"), answer.constData());
        QVERIFY(answer.contains("broadcaster or admin role required"));
        QCOMPARE(scrapeMetric(server.metricsPort(),
                              "http_requests_total{method=\"POST\",route=\"/api/streams\","
                              "status=\"401\"}"),
                 3.0);
    }

    // Behind a load balancer (TRUSTED_PROXIES): its X-Forwarded-For names the client the
    // limits count, its own connections are not capped per address; from anyone else the
    // header is ignored.
    void trustedProxiesSpeakForTheirClients()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("TRUSTED_PROXIES"), QStringLiteral("127.0.0.0/8, ::1"));
        server.setEnv(QStringLiteral("MAX_CONNECTIONS_PER_IP"), QStringLiteral("2"));
        server.setEnv(QStringLiteral("RATE_LIMIT_PER_MINUTE"), QStringLiteral("3"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        std::vector<std::unique_ptr<HttpProbe>> balancer; // many clients, one address
        for (int i = 0; i < 4; ++i) {
            balancer.push_back(std::make_unique<HttpProbe>(server.httpPort()));
            QCOMPARE(balancer.back()->get("/health/live").status, 200);
        }
        const auto from = [&server](const QByteArray &forwardedFor) {
            return HttpProbe(server.httpPort())
                .get("/api/streams", 5000, "X-Forwarded-For: " + forwardedFor + "\r\n")
                .status;
        };
        for (int i = 0; i < 3; ++i)
            QCOMPARE(from("203.0.113.7"), 401);
        QCOMPARE(from("203.0.113.7"), 429);
        QCOMPARE(from("203.0.113.8"), 401); // another client behind the same balancer
        // A client's own claim is only the left part: the balancer's last hop is believed.
        QCOMPARE(from("198.51.100.1, 203.0.113.7"), 429);
        QCOMPARE(from("not-an-address, 203.0.113.9"), 401);

        ServerProcess direct; // nobody trusted: the header changes nothing
        direct.setEnv(QStringLiteral("RATE_LIMIT_PER_MINUTE"), QStringLiteral("3"));
        QVERIFY2(direct.start(), qPrintable(direct.diagnostics()));
        for (int i = 0; i < 3; ++i) {
            const QByteArray client = "203.0.113." + QByteArray::number(i);
            QCOMPARE(HttpProbe(direct.httpPort())
                         .get("/api/streams", 5000, "X-Forwarded-For: " + client + "\r\n")
                         .status,
                     401);
        }
        QCOMPARE(HttpProbe(direct.httpPort())
                     .get("/api/streams", 5000, "X-Forwarded-For: 203.0.113.99\r\n")
                     .status,
                 429);
    }

private:
    ServerProcess m_server;
};

QTEST_MAIN(TestHostileClients)
#include "tst_hostile_clients.moc"
