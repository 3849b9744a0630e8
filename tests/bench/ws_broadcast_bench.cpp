// ws_broadcast_bench: compares Qt's default (glib) event dispatcher with
// veza::eventloop::EpollEventDispatcher on the server side of a WebSocket fan-out.
//
//   ws_broadcast_bench [--dispatcher glib|epoll|both] [--receivers 1000] [--rate 40]
//                      [--duration 10] [--payload 64] [--connections 19000]
//                      [--client-procs 2] [--window 1000]
//
// For each dispatcher a server process is started; it spawns client processes (always on
// the epoll dispatcher) and measures
//   1. fan-out: every receiver gets `rate` messages/s for `duration` s; each message carries
//      its scheduled send time (CLOCK_MONOTONIC), clients report delivery latency; the
//      server reports its own CPU use. Sending is open-loop: ticks missed by a slow server
//      are sent late, so overload shows up as latency instead of being hidden.
//   2. accept burst: time from the first accepted TCP connection to `connections` completed
//      WebSocket handshakes, clients spread over `client-procs` processes (fd limit).
// Loopback only; every wait is bounded.
#include "eventloop/EpollEventDispatcher.h"
#include "ws_broadcast_common.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <sys/resource.h>

namespace wsbench {

Options parseOptions(const QStringList &arguments)
{
    Options o;
    for (qsizetype i = 1; i + 1 < arguments.size(); i += 2) {
        const QString &key = arguments[i];
        const QString &value = arguments[i + 1];
        if (key == QLatin1String("--dispatcher"))
            o.dispatcher = value;
        else if (key == QLatin1String("--receivers"))
            o.receivers = value.toInt();
        else if (key == QLatin1String("--rate"))
            o.rate = value.toInt();
        else if (key == QLatin1String("--duration"))
            o.durationS = value.toInt();
        else if (key == QLatin1String("--payload"))
            o.payload = std::max(int(sizeof(MessageHeader)), value.toInt());
        else if (key == QLatin1String("--connections"))
            o.connections = value.toInt();
        else if (key == QLatin1String("--client-procs"))
            o.clientProcs = std::max(1, value.toInt());
        else if (key == QLatin1String("--window"))
            o.window = std::max(1, value.toInt());
        else if (key == QLatin1String("--role"))
            o.role = value;
        else if (key == QLatin1String("--port"))
            o.port = quint16(value.toUInt());
        else if (key == QLatin1String("--count"))
            o.count = value.toInt();
        else
            qFatal("unknown option %s (see the header of ws_broadcast_bench.cpp)", qPrintable(key));
    }
    return o;
}

QStringList toArguments(const Options &o)
{
    return {QStringLiteral("--dispatcher"),   o.dispatcher,
            QStringLiteral("--receivers"),    QString::number(o.receivers),
            QStringLiteral("--rate"),         QString::number(o.rate),
            QStringLiteral("--duration"),     QString::number(o.durationS),
            QStringLiteral("--payload"),      QString::number(o.payload),
            QStringLiteral("--connections"),  QString::number(o.connections),
            QStringLiteral("--client-procs"), QString::number(o.clientProcs),
            QStringLiteral("--window"),       QString::number(o.window),
            QStringLiteral("--role"),         o.role,
            QStringLiteral("--port"),         QString::number(o.port),
            QStringLiteral("--count"),        QString::number(o.count)};
}

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Runs the event loop (exec, so deleteLater works) until done() or the timeout.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    poll.start(20);
    loop.exec();
    return done();
}

// "KEY a=1 b=2" -> {a:1, b:2} for the first line starting with KEY.
std::map<QString, double> parseLine(const QByteArray &output, const char *key)
{
    std::map<QString, double> values;
    for (const QByteArray &line : output.split('\n')) {
        if (!line.startsWith(key))
            continue;
        for (const QByteArray &field : line.split(' ')) {
            const qsizetype eq = field.indexOf('=');
            if (eq > 0)
                values[QString::fromLatin1(field.left(eq))] = field.mid(eq + 1).toDouble();
        }
        break;
    }
    return values;
}

std::unique_ptr<QProcess> spawn(Options options)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->start(QCoreApplication::applicationFilePath(), toArguments(options));
    if (!process->waitForStarted(10000))
        qFatal("cannot start %s", qPrintable(QCoreApplication::applicationFilePath()));
    return process;
}

int runServer(const Options &o)
{
    std::fprintf(stderr, "[%s] server dispatcher: %s\n", qPrintable(o.dispatcher),
                 QAbstractEventDispatcher::instance()->metaObject()->className());
    QTcpServer tcp;
    tcp.setListenBacklogSize(4096); // QWebSocketServer's own listener is stuck at 50
    tcp.setMaxPendingConnections(1 << 20);
    if (!tcp.listen(QHostAddress::LocalHost, 0))
        qFatal("listen failed: %s", qPrintable(tcp.errorString()));
    QWebSocketServer ws(QStringLiteral("bench"), QWebSocketServer::NonSecureMode);
    ws.setMaxPendingConnections(1 << 20);
    ws.setHandshakeTimeout(120000);

    std::vector<QWebSocket *> sockets;
    qint64 firstAcceptNs = 0;
    qint64 targetReachedNs = 0;
    size_t target = 0;
    QObject::connect(&tcp, &QTcpServer::newConnection, &tcp, [&] {
        while (QTcpSocket *socket = tcp.nextPendingConnection()) {
            if (!firstAcceptNs)
                firstAcceptNs = nowNs();
            // Small frames at 40/s would otherwise sit in Nagle + delayed-ACK for ~40 ms.
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            ws.handleConnection(socket);
        }
    });
    QObject::connect(&ws, &QWebSocketServer::newConnection, &ws, [&] {
        while (QWebSocket *socket = ws.nextPendingConnection()) {
            sockets.push_back(socket);
            if (sockets.size() == target)
                targetReachedNs = nowNs();
        }
    });

    // 1. fan-out
    Options clientOptions = o;
    clientOptions.port = tcp.serverPort();
    clientOptions.role = QStringLiteral("fanout");
    target = size_t(o.receivers);
    auto fanout = spawn(clientOptions);
    if (!waitFor([&] { return sockets.size() == target; }, 60000))
        qFatal("only %zu of %d receivers connected", sockets.size(), o.receivers);

    const qint64 periodNs = 1000000000LL / o.rate;
    const qint64 ticks = qint64(o.rate) * o.durationS;
    const qint64 startNs = nowNs() + periodNs;
    qint64 seq = 0;
    qint64 deliveries = 0;
    QByteArray message(o.payload, 'v');
    QTimer sender;
    sender.setTimerType(Qt::PreciseTimer);
    QObject::connect(&sender, &QTimer::timeout, &sender, [&] {
        const qint64 now = nowNs();
        // A tick may go out up to 2 ms early (timers have ms resolution and must not miss
        // their tick by a whole period); it is then stamped with the real send time.
        while (seq < ticks && startNs + seq * periodNs <= now + 2000000) {
            const MessageHeader header{std::max(startNs + seq * periodNs, now), seq};
            message.detach();
            std::memcpy(message.data(), &header, sizeof header);
            for (QWebSocket *socket : sockets)
                socket->sendBinaryMessage(message);
            deliveries += qint64(sockets.size());
            ++seq;
        }
    });
    const double cpuStart = cpuSeconds();
    sender.start(int(std::max<qint64>(1, periodNs / 1000000)));
    waitFor([&] { return seq == ticks; }, (o.durationS + 60) * 1000);
    sender.stop();
    waitFor(
        [&] {
            return std::all_of(sockets.begin(), sockets.end(),
                               [](QWebSocket *s) { return s->bytesToWrite() == 0; });
        },
        10000);
    const double sendSeconds = double(nowNs() - startNs) / 1e9;
    const double serverCpu = 100.0 * (cpuSeconds() - cpuStart) / sendSeconds;
    for (QWebSocket *socket : sockets) {
        socket->abort();
        socket->deleteLater();
    }
    sockets.clear();
    fanout->waitForFinished(30000);
    auto fan = parseLine(fanout->readAllStandardOutput(), "FANOUT");
    std::fprintf(stderr, "[%s] fan-out: sent %lld deliveries in %.1f s\n", qPrintable(o.dispatcher),
                 static_cast<long long>(deliveries), sendSeconds);
    waitFor([] { return false; }, 300); // let the deferred deletes close the fds

    // 2. accept burst
    target = size_t(o.connections);
    firstAcceptNs = 0;
    targetReachedNs = 0;
    sockets.reserve(target);
    std::vector<std::unique_ptr<QProcess>> bursts;
    for (int i = 0; i < o.clientProcs; ++i) {
        clientOptions.role = QStringLiteral("burst");
        clientOptions.count = o.connections / o.clientProcs + (i < o.connections % o.clientProcs);
        bursts.push_back(spawn(clientOptions));
    }
    waitFor([&] { return sockets.size() >= target; }, 120000);
    const size_t accepted = sockets.size();
    const double acceptMs = targetReachedNs ? double(targetReachedNs - firstAcceptNs) / 1e6 : -1.0;
    int burstFailed = 0;
    for (auto &process : bursts) {
        waitFor([&] { return process->canReadLine(); }, 10000);
        burstFailed += int(parseLine(process->readAllStandardOutput(), "BURST")["failed"]);
        process->kill();
        process->waitForFinished(10000);
    }
    std::printf("RESULT deliveries=%.0f p50=%.3f p99=%.3f cpu=%.1f clientcpu=%.1f "
                "received=%.0f sent=%lld accept_ms=%.1f accepted=%zu burstfailed=%d\n",
                fan["rate"], fan["p50"], fan["p99"], serverCpu, fan["cpu"], fan["received"],
                static_cast<long long>(deliveries), acceptMs, accepted, burstFailed);
    std::fflush(stdout);
    // 19,000 sockets: tearing them down one by one would only measure Qt's destructors.
    std::_Exit(0);
}

int runLauncher(const Options &o)
{
    QStringList dispatchers;
    if (o.dispatcher == QLatin1String("both"))
        dispatchers = {QStringLiteral("glib"), QStringLiteral("epoll")};
    else
        dispatchers = {o.dispatcher};
    std::vector<std::pair<QString, std::map<QString, double>>> rows;
    for (const QString &dispatcher : dispatchers) {
        Options serverOptions = o;
        serverOptions.dispatcher = dispatcher;
        serverOptions.role = QStringLiteral("server");
        auto server = spawn(serverOptions);
        if (!server->waitForFinished((o.durationS + 300) * 1000))
            server->kill();
        rows.emplace_back(dispatcher, parseLine(server->readAllStandardOutput(), "RESULT"));
    }
    std::printf("\n%d receivers x %d msg/s for %d s (%d-byte payload); accept burst of %d "
                "connections from %d client processes\n",
                o.receivers, o.rate, o.durationS, o.payload, o.connections, o.clientProcs);
    std::printf("%-10s %14s %9s %9s %12s %12s %16s\n", "dispatcher", "deliveries/s", "P50 ms",
                "P99 ms", "server CPU%", "client CPU%", "accept time s");
    for (auto &[name, r] : rows) {
        if (r.empty()) {
            std::printf("%-10s (server failed, see stderr)\n", qPrintable(name));
            continue;
        }
        const QString accept = r["accepted"] == o.connections
                                   ? QString::number(r["accept_ms"] / 1000.0, 'f', 2)
                                   : QStringLiteral("%1 only").arg(r["accepted"]);
        std::printf("%-10s %14.0f %9.2f %9.2f %12.1f %12.1f %16s\n", qPrintable(name),
                    r["deliveries"], r["p50"], r["p99"], r["cpu"], r["clientcpu"],
                    qPrintable(accept));
    }
    return 0;
}

} // namespace
} // namespace wsbench

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const wsbench::Options options = wsbench::parseOptions(arguments);
    // The dispatcher must be installed before QCoreApplication; clients always use epoll.
    if (options.role != QLatin1String("server") || options.dispatcher == QLatin1String("epoll"))
        QCoreApplication::setEventDispatcher(new veza::eventloop::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    if (options.role == QLatin1String("server"))
        return wsbench::runServer(options);
    if (options.role == QLatin1String("fanout"))
        return wsbench::runFanoutClients(options);
    if (options.role == QLatin1String("burst"))
        return wsbench::runBurstClients(options);
    return wsbench::runLauncher(options);
}
