// The WebSocket gateway's sweep, in process: deadlines and session ticks reach every connection
// once a second, a slice at a time, so no step holds the network thread for all of them.
#include "metrics/MetricsRegistry.h"
#include "net/ConnectionLimiter.h"
#include "net/ListenSocket.h"
#include "net/NetMetrics.h"
#include "net/WebSocketGateway.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>
#include <memory>
#include <vector>

using namespace veza;

class TestWebSocketGateway : public QObject
{
    Q_OBJECT

private slots:
    void sweepTicksATenthOfTheConnectionsPerStep()
    {
        metrics::MetricsRegistry registry;
        net::NetMetrics metrics(registry);
        net::ConnectionLimiter limiter(100);
        net::KeyedConnectionLimiter addresses(0);
        net::WebSocketGateway gateway(limiter, addresses, metrics, std::nullopt, nullptr);
        QString error;
        const auto socket = net::ListenSocket::open(QHostAddress::LocalHost, 0, 128, &error);
        QVERIFY2(socket, qPrintable(error));
        QVERIFY2(gateway.listen(socket->fd, &error), qPrintable(error));

        // Connections that never finish their handshake stay in the table (10 s deadline).
        constexpr int kClients = 40;
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<QTcpSocket>());
            clients.back()->connectToHost(QHostAddress::LocalHost, socket->port);
        }
        QTRY_COMPARE_WITH_TIMEOUT(gateway.connectionCount(), kClients, 5000);

        // Watch the sweep for two intervals: no step ticks more than about a tenth.
        constexpr int kMaxPerStep = kClients / 10 + 1;
        int seenMax = 0;
        QElapsedTimer watch;
        watch.start();
        while (watch.elapsed() < 2 * net::WebSocketGateway::kSweepIntervalMs) {
            QTest::qWait(10);
            seenMax = std::max(seenMax, gateway.lastSweepTicked());
        }
        QVERIFY2(seenMax > 0, "the sweep never ran");
        QVERIFY2(seenMax <= kMaxPerStep, qPrintable(QString::number(seenMax)));
        QCOMPARE(gateway.connectionCount(), kClients); // nobody's deadline had passed
    }
};

QTEST_GUILESS_MAIN(TestWebSocketGateway)
#include "tst_wsgateway.moc"
