// The PROXY protocol (v1 and v2) against the real binary, behind TRUSTED_PROXIES: the client a
// balancer's header names is the one the API rate limit and MAX_CONNECTIONS_PER_IP count (its
// X-Forwarded-For then believed only if that client is itself a proxy), the one the listeners
// API shows, and a WebSocket upgrades after the header. From a peer that is not trusted the
// header is HTTP garbage (400); a malformed or unfinished header from a trusted one ends the
// connection without an answer.
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QTest>

using namespace veza::testing;

namespace {

// A version 1 header from a balancer that accepted `client` (IPv4) on port 8080.
QByteArray v1(const QByteArray &client)
{
    return "PROXY TCP4 " + client + " 127.0.0.1 40000 8080\r\n";
}

// The same in version 2, with a TLV (skipped) after the addresses.
QByteArray v2(const QByteArray &client)
{
    QByteArray header("\r\n\r\n\0\r\nQUIT\n", 12);
    header += QByteArray::fromHex("2111"   // v2 PROXY, TCP over IPv4
                                  "0010"); // 16 bytes follow
    for (const QByteArray &part : client.split('.'))
        header += char(part.toInt());
    header += QByteArray::fromHex("7f000001"   // 127.0.0.1
                                  "9c40"       // 40000
                                  "1f90"       // 8080
                                  "04000100"); // NOOP TLV
    return header;
}

constexpr QByteArrayView kUpgrade =
    "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

// `bytes` sent on `client` (a new connection to `port` when none), and the status of the
// answer (0: none).
int statusAfter(quint16 port, const QByteArray &bytes, RawClient *client = nullptr)
{
    std::unique_ptr<RawClient> own = client ? nullptr : std::make_unique<RawClient>(port);
    RawClient &connection = client ? *client : *own;
    connection.send(bytes);
    const QByteArray answer = connection.read(5000, 4096, "\r\n\r\n");
    return answer.startsWith("HTTP/1.1 ") ? answer.mid(9, 3).toInt() : 0;
}

QByteArray apiRequest(const QByteArray &extraHeaders = {})
{
    return "GET /api/streams HTTP/1.1\r\nHost: x\r\n" + extraHeaders + "\r\n";
}

const QByteArray kHealth("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");

} // namespace

class TestProxiedClients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A header is read from a trusted peer only; from anyone else it is not HTTP.
    void headersAreBelievedFromTrustedProxiesOnly()
    {
        ServerProcess trusting;
        trusting.setEnv(QStringLiteral("TRUSTED_PROXIES"), QStringLiteral("127.0.0.0/8"));
        QVERIFY2(trusting.start(), qPrintable(trusting.diagnostics()));
        QCOMPARE(statusAfter(trusting.httpPort(), v1("203.0.113.7") + kHealth), 200);
        QCOMPARE(statusAfter(trusting.httpPort(), v2("203.0.113.7") + kHealth), 200);
        QCOMPARE(statusAfter(trusting.httpPort(), kHealth), 200); // no header: as before

        ServerProcess direct; // nobody trusted
        QVERIFY2(direct.start(), qPrintable(direct.diagnostics()));
        QCOMPARE(statusAfter(direct.httpPort(), v1("203.0.113.7") + kHealth), 400);
        QCOMPARE(statusAfter(direct.httpPort(), v2("203.0.113.7") + kHealth), 400);
    }

    // RATE_LIMIT_PER_MINUTE per client the header names, whichever version carries it.
    void proxiedClientsAreTheOnesRateLimited()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("TRUSTED_PROXIES"), QStringLiteral("127.0.0.0/8"));
        server.setEnv(QStringLiteral("RATE_LIMIT_PER_MINUTE"), QStringLiteral("3"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const quint16 port = server.httpPort();
        QCOMPARE(statusAfter(port, v1("203.0.113.7") + apiRequest()), 401);
        QCOMPARE(statusAfter(port, v2("203.0.113.7") + apiRequest()), 401);
        QCOMPARE(statusAfter(port, v1("203.0.113.7") + apiRequest()), 401);
        QCOMPARE(statusAfter(port, v2("203.0.113.7") + apiRequest()), 429);
        QCOMPARE(statusAfter(port, v2("203.0.113.8") + apiRequest()), 401); // its own budget
        // The named client is no proxy: what it forwards is its own claim.
        QCOMPARE(
            statusAfter(port, v1("203.0.113.7") + apiRequest("X-Forwarded-For: 198.51.100.1\r\n")),
            429);
        // A proxy behind the balancer: its X-Forwarded-For is believed.
        QCOMPARE(
            statusAfter(port, v1("127.0.0.9") + apiRequest("X-Forwarded-For: 203.0.113.7\r\n")),
            429);
        QCOMPARE(
            statusAfter(port, v1("127.0.0.9") + apiRequest("X-Forwarded-For: 203.0.113.9\r\n")),
            401);
        QCOMPARE(statusAfter(port, apiRequest()), 401); // the balancer's own, untouched
    }

    // MAX_CONNECTIONS_PER_IP per client the header names, HTTP and WebSocket together, freed
    // when a connection ends; the balancer's own connections stay exempt.
    void proxiedClientsAreCappedPerAddress()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("TRUSTED_PROXIES"), QStringLiteral("127.0.0.0/8"));
        server.setEnv(QStringLiteral("MAX_CONNECTIONS_PER_IP"), QStringLiteral("2"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        std::vector<std::unique_ptr<RawClient>> held;
        const auto hold = [&held](quint16 port, const QByteArray &bytes) {
            held.push_back(std::make_unique<RawClient>(port));
            return statusAfter(port, bytes, held.back().get());
        };
        QCOMPARE(hold(server.httpPort(), v1("203.0.113.7") + kHealth), 200);
        QCOMPARE(hold(server.webSocketPort(), v2("203.0.113.7") + kUpgrade.toByteArray()), 101);
        QCOMPARE(statusAfter(server.httpPort(), v2("203.0.113.7") + kHealth), 429);
        QCOMPARE(statusAfter(server.webSocketPort(), v1("203.0.113.7") + kUpgrade.toByteArray()),
                 429);
        QCOMPARE(hold(server.httpPort(), v1("203.0.113.8") + kHealth), 200);
        for (int i = 0; i < 3; ++i) // the balancer's own health checks
            QCOMPARE(hold(server.httpPort(), kHealth), 200);

        held.erase(held.begin()); // 203.0.113.7's HTTP connection ends
        QDeadlineTimer deadline(15000);
        int status = 0;
        while (status != 200 && !deadline.hasExpired()) {
            status = statusAfter(server.httpPort(), v1("203.0.113.7") + kHealth);
            QTest::qWait(50);
        }
        QCOMPARE(status, 200);
    }

    // A WebSocket after the header: upgraded, and its session answers.
    void webSocketsUpgradeAfterAHeader()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("TRUSTED_PROXIES"), QStringLiteral("127.0.0.0/8"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        for (const QByteArray &header : {v1("203.0.113.7"), v2("203.0.113.7")}) {
            RawClient socket(server.webSocketPort());
            QCOMPARE(statusAfter(server.webSocketPort(), header + kUpgrade.toByteArray(), &socket),
                     101);
            const QByteArray ping(R"({"type":"ping"})");
            // A masked text frame with a zero mask: the payload goes as it is.
            socket.send(QByteArray("\x81") + char(0x80 | ping.size()) + QByteArray(4, '\0') + ping);
            QVERIFY(socket.read(5000, 4096, "pong").contains(R"("pong")"));
        }
    }

    // The listeners API shows the client a balancer named, not the balancer.
    void listenersShowTheProxiedAddress()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg is needed");
        ServerProcess server;
        server.setEnv(QStringLiteral("TRUSTED_PROXIES"), QStringLiteral("127.0.0.0/8"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QByteArray dj = server.token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        const QByteArray key = createStream(server, dj, QStringLiteral("tone"));
        QVERIFY(!key.isEmpty());
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(server.httpPort(), key, "tone", 30), true);
        QVERIFY(
            waitForStreamState(server, dj, QStringLiteral("tone"), QStringLiteral("live"), 10000));
        RawClient listener(server.httpPort());
        QCOMPARE(statusAfter(server.httpPort(),
                             v2("203.0.113.7") + "GET /live/tone HTTP/1.1\r\nHost: x\r\n\r\n",
                             &listener),
                 200);
        const QJsonArray live = HttpProbe(server.httpPort())
                                    .get("/api/streams/tone/listeners?live=1", 5000,
                                         "Authorization: Bearer " + dj + "\r\n")
                                    .json()
                                    .value(u"listeners")
                                    .toArray();
        QCOMPARE(live.size(), 1);
        QCOMPARE(live.first()[QStringLiteral("address")].toString(), QStringLiteral("203.0.113.7"));
        source->kill();
        source->waitForFinished(5000);
    }

    // A trusted peer's malformed header ends its connection with no answer, logged with the
    // peer; an unfinished one is given the time of a request head (a WebSocket's: 10 s).
    void badHeadersEndTheConnection()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("TRUSTED_PROXIES"), QStringLiteral("127.0.0.0/8"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        QByteArray badV2 = v2("203.0.113.7");
        badV2[12] = '\x31'; // version 3
        for (const QByteArray &header :
             {QByteArray("PROXY TCP4 203.0.113.300 127.0.0.1 1 2\r\n"), badV2}) {
            RawClient client(server.httpPort());
            client.send(header + kHealth);
            QByteArray received;
            QVERIFY(client.readToEnd(5000, &received) != RawClient::Ending::StillOpen);
            QVERIFY2(received.isEmpty(), received.constData());
        }
        QTRY_VERIFY(!server.findLog(QStringLiteral("malformed PROXY header")).isEmpty());
        QVERIFY(server.findLog(QStringLiteral("malformed PROXY header"))
                    .value(u"message")
                    .toString()
                    .contains(u"127.0.0.1"));

        RawClient unfinished(server.webSocketPort());
        unfinished.send("PROXY TCP4 203.0.113.7 ");
        QByteArray received;
        QVERIFY(unfinished.readToEnd(14000, &received) != RawClient::Ending::StillOpen);
        QVERIFY(received.isEmpty());
    }
};

QTEST_MAIN(TestProxiedClients)
#include "tst_proxied_clients.moc"
