// Client side of ws_broadcast_bench. Always runs on EpollEventDispatcher so that the
// clients are not what limits the measurement of the server.
#include "ws_broadcast_common.h"

#include <QCoreApplication>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <sys/resource.h>

namespace wsbench {

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Opens `total` sockets with at most `window` handshakes in flight, so the listen
// backlog does not overflow and the measurement is of the server, not of SYN retries.
class Connector : public QObject
{
public:
    Connector(quint16 port, int total, int window)
        : m_url(QStringLiteral("ws://127.0.0.1:%1/").arg(port))
        , m_total(total)
        , m_window(window)
    {
    }

    std::function<void(QWebSocket *)> onConnected;
    std::function<void()> onAllSettled;
    std::function<void(QWebSocket *)> onClosed;
    int connected = 0;
    int failed = 0;

    void start()
    {
        while (m_started < m_total && m_started - connected - failed < m_window)
            openOne();
    }

private:
    void openOne()
    {
        ++m_started;
        auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        auto *handshaking = new bool(true);
        connect(socket, &QWebSocket::connected, this, [this, socket, handshaking] {
            *handshaking = false;
            ++connected;
            if (onConnected)
                onConnected(socket);
            settleOne();
        });
        connect(socket, &QWebSocket::disconnected, this, [this, socket, handshaking] {
            if (*handshaking) {
                *handshaking = false;
                ++failed;
                settleOne();
            } else if (onClosed) {
                onClosed(socket);
            }
            delete handshaking;
            socket->deleteLater();
        });
        socket->open(m_url);
    }
    void settleOne()
    {
        start();
        if (connected + failed == m_total && onAllSettled)
            onAllSettled();
    }

    QUrl m_url;
    int m_total;
    int m_window;
    int m_started = 0;
};

} // namespace

int runFanoutClients(const Options &options)
{
    std::vector<qint64> latencies;
    latencies.reserve(size_t(options.receivers) * size_t(options.rate) *
                      size_t(options.durationS + 1));
    qint64 received = 0;
    qint64 firstNs = 0;
    qint64 lastNs = 0;
    int closed = 0;
    const double cpuStart = cpuSeconds();

    auto finish = [&] {
        const double seconds = double(lastNs - firstNs) / 1e9;
        std::printf("FANOUT received=%lld rate=%.0f p50=%.2f p99=%.2f max=%.2f cpu=%.1f\n",
                    static_cast<long long>(received), seconds > 0 ? double(received) / seconds : 0,
                    percentileMs(latencies, 0.50), percentileMs(latencies, 0.99),
                    percentileMs(latencies, 1.0),
                    100.0 * (cpuSeconds() - cpuStart) / std::max(seconds, 1e-3));
        std::fflush(stdout);
        QCoreApplication::exit(0);
    };

    Connector connector(options.port, options.receivers, 200);
    connector.onConnected = [&](QWebSocket *socket) {
        QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                         [&](const QByteArray &message) {
                             const qint64 now = nowNs();
                             if (message.size() < qsizetype(sizeof(MessageHeader)))
                                 return;
                             MessageHeader header;
                             std::memcpy(&header, message.constData(), sizeof header);
                             if (!firstNs)
                                 firstNs = now;
                             lastNs = now;
                             ++received;
                             if (header.seq >= options.rate) // first second is warm-up
                                 latencies.push_back(now - header.sentNs);
                         });
    };
    connector.onClosed = [&](QWebSocket *) {
        if (++closed == connector.connected)
            finish();
    };
    connector.start();
    // Safety net: the server closes every socket after the run.
    QTimer::singleShot((options.durationS + 60) * 1000, qApp, finish);
    return QCoreApplication::exec();
}

int runBurstClients(const Options &options)
{
    const qint64 startNs = nowNs();
    Connector connector(options.port, options.count, options.window);
    connector.onAllSettled = [&] {
        std::printf("BURST connected=%d failed=%d ms=%.1f\n", connector.connected, connector.failed,
                    double(nowNs() - startNs) / 1e6);
        std::fflush(stdout);
    };
    connector.start();
    // The server terminates this process once it has counted its connections.
    QTimer::singleShot(180 * 1000, qApp, [] { QCoreApplication::exit(1); });
    return QCoreApplication::exec();
}

} // namespace wsbench
