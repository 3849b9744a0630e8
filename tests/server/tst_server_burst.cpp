// A burst of WebSocket connects, as when a load balancer moves thousands of clients at once:
// none is dropped by a short listen backlog, all are served, and all are released after.
#include "HttpProbe.h"
#include "ServerProcess.h"

#include <QTest>
#include <QWebSocket>
#include <memory>
#include <vector>

using namespace veza::testing;

namespace {
constexpr int kClients = 3000;

} // namespace

class TestServerBurst : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void thousandsOfSimultaneousConnectsAreAllServed()
    {
        ServerProcess server;
        // Every client is on loopback, as every client seems to be behind a load balancer
        // that does not pass addresses on: no per-address cap.
        server.setEnv(QStringLiteral("MAX_CONNECTIONS_PER_IP"), QStringLiteral("0"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        std::vector<std::unique_ptr<QWebSocket>> clients;
        int connected = 0;
        int failed = 0;
        for (int i = 0; i < kClients; ++i) {
            auto socket = std::make_unique<QWebSocket>();
            connect(socket.get(), &QWebSocket::connected, this, [&connected] { ++connected; });
            connect(socket.get(), qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
                    [&failed] { ++failed; });
            socket->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.webSocketPort())));
            clients.push_back(std::move(socket));
        }
        QTRY_VERIFY_WITH_TIMEOUT(connected + failed == kClients, 60000);
        QCOMPARE(failed, 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            scrapeMetric(server.metricsPort(), "websocket_connections_active"), double(kClients),
            10000);

        for (auto &client : clients)
            client->close();
        QTRY_COMPARE_WITH_TIMEOUT(
            scrapeMetric(server.metricsPort(), "websocket_connections_active"), 0.0, 20000);
        const double fds = scrapeMetric(server.metricsPort(), "process_open_fds");
        QVERIFY2(fds < 100, qPrintable(QStringLiteral("descriptors left open: %1").arg(fds)));
    }
};

QTEST_GUILESS_MAIN(TestServerBurst)
#include "tst_server_burst.moc"
