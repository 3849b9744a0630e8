#include "net/NetworkThreads.h"

#include "eventloop/EpollEventDispatcher.h"
#include "net/ListenSocket.h"

#include <QThread>
#include <limits>

namespace veza::net {

NetworkThreads::NetworkThreads(Options options, ConnectionLimiter &limiter, NetMetrics &metrics)
    : m_options(std::move(options))
    , m_limiter(limiter)
    , m_metrics(metrics)
    , m_httpLimiter(m_options.maxHttpConnections > 0 ? m_options.maxHttpConnections
                                                     : std::numeric_limits<int>::max())
    , m_addresses(m_options.maxConnectionsPerAddress)
{
    for (int i = 0; i < m_options.threadCount; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("veza-net-%1").arg(i));
        if (qEnvironmentVariable("VEZA_EVENT_DISPATCHER") != u"glib")
            thread->setEventDispatcher(new eventloop::EpollEventDispatcher);
        m_threads.push_back(thread);
    }
}

void NetworkThreads::adopt(int index, QObject *object)
{
    QThread *thread = m_threads.at(size_t(index));
    object->moveToThread(thread);
    QObject::connect(thread, &QThread::finished, object, &QObject::deleteLater);
}

NetworkThreads::~NetworkThreads()
{
    stop();
}

template <typename F> void NetworkThreads::onEachWorker(F function)
{
    for (NetworkWorker *worker : m_workers)
        QMetaObject::invokeMethod(
            worker, [worker, &function] { function(*worker); }, Qt::BlockingQueuedConnection);
}

std::optional<QString> NetworkThreads::start(const ThreadEndpointsFactory &endpoints)
{
    // A burst of thousands of connects must queue in the kernel, not be dropped.
    m_backlog = systemMaxListenBacklog();
    m_httpPort = m_options.httpPort;
    m_webSocketPort = m_options.webSocketPort;
    for (int i = 0; i < m_options.threadCount; ++i) {
        QString error;
        // Port 0 is resolved by the first listener; the other threads join the same port.
        auto http = ListenSocket::open(m_options.host, m_httpPort, m_backlog, &error);
        if (!http)
            return QStringLiteral("PORT: %1").arg(error);
        m_httpPort = http->port;
        auto webSocket = ListenSocket::open(m_options.host, m_webSocketPort, m_backlog, &error);
        if (!webSocket)
            return QStringLiteral("WS_PORT: %1").arg(error);
        m_webSocketPort = webSocket->port;

        QThread *thread = m_threads[size_t(i)];
        auto *worker = new NetworkWorker({i, http->fd, webSocket->fd, m_options.tls, m_limiter,
                                          m_httpLimiter, m_addresses, &m_options.trustedProxies,
                                          m_metrics, endpoints, &m_httpConnections});
        worker->moveToThread(thread);
        QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_workers.push_back(worker);

        QString startError;
        QMetaObject::invokeMethod(worker, &NetworkWorker::start, Qt::BlockingQueuedConnection,
                                  &startError);
        if (!startError.isEmpty())
            return startError;
    }
    return std::nullopt;
}

void NetworkThreads::stopAccepting()
{
    onEachWorker([](NetworkWorker &worker) { worker.stopAccepting(); });
}

void NetworkThreads::closeWebSockets(quint16 code, const QString &reason)
{
    onEachWorker([&](NetworkWorker &worker) { worker.closeWebSockets(code, reason); });
}

void NetworkThreads::setTlsConfiguration(const QSslConfiguration &tls)
{
    if (!m_options.tls)
        return; // plain listeners stay plain
    m_options.tls = tls;
    for (NetworkWorker *worker : m_workers)
        QMetaObject::invokeMethod(
            worker, [worker, tls] { worker->setTlsConfiguration(tls); }, Qt::QueuedConnection);
}

void NetworkThreads::drainHttp()
{
    onEachWorker([](NetworkWorker &worker) { worker.drainHttp(); });
}

void NetworkThreads::stop()
{
    if (m_threads.empty())
        return;
    onEachWorker([](NetworkWorker &worker) { worker.shutDown(); });
    for (QThread *thread : m_threads) {
        if (thread->isRunning()) {
            thread->quit();
            thread->wait();
        } else {
            // Never started (start-up failed): nothing ran deleteLater on its objects.
            thread->start();
            thread->quit();
            thread->wait();
        }
        delete thread;
    }
    m_threads.clear();
    m_workers.clear();
}

} // namespace veza::net
