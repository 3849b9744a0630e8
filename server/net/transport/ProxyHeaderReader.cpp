#include "net/transport/ProxyHeaderReader.h"

#include "MonotonicClock.h"
#include "net/PeerAddress.h"
#include "net/ProxyProtocol.h"
#include "net/TrustedProxies.h"
#include "net/transport/ProxiedTransport.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcProxyProtocol, "veza.net.proxy")

namespace veza::net {
namespace {
constexpr int kSweepIntervalMs = 1000; // the deadlines have a second's resolution, as HTTP's
} // namespace

// A connection from a trusted proxy whose first bytes are not all in yet.
struct ProxyHeaderReader::Waiting final : TransportHandler
{
    Waiting(ProxyHeaderReader &reader, std::unique_ptr<Transport> transport, qint64 deadlineMs)
        : reader(reader)
        , transport(std::move(transport))
        , deadlineMs(deadlineMs)
    {
        this->transport->setHandler(this);
    }
    void onReceived(QByteArrayView bytes) override { reader.received(*this, bytes); }
    void onClosed() override { reader.forget(*this); }

    ProxyHeaderReader &reader;
    std::unique_ptr<Transport> transport;
    QByteArray bytes; // at most a header's bound: the parser decides by then
    qint64 deadlineMs;
};

ProxyHeaderReader::ProxyHeaderReader(const TrustedProxies &proxies, int timeoutMs,
                                     Accepted accepted, QObject *parent)
    : QObject(parent)
    , m_proxies(proxies)
    , m_timeoutMs(timeoutMs)
    , m_accepted(std::move(accepted))
    , m_sweepTimer(new QTimer(this))
{
    m_sweepTimer->setInterval(kSweepIntervalMs);
    connect(m_sweepTimer, &QTimer::timeout, this, &ProxyHeaderReader::sweep);
}

ProxyHeaderReader::~ProxyHeaderReader()
{
    for (auto &[key, waiting] : m_waiting)
        waiting->transport->setHandler(nullptr);
}

void ProxyHeaderReader::admit(std::unique_ptr<Transport> transport)
{
    if (!m_proxies.contains(transport->peerAddress()))
        return m_accepted(std::move(transport));
    auto waiting =
        std::make_unique<Waiting>(*this, std::move(transport), monotonicMs() + m_timeoutMs);
    m_waiting.emplace(waiting.get(), std::move(waiting));
    if (!m_sweepTimer->isActive())
        m_sweepTimer->start();
}

void ProxyHeaderReader::received(Waiting &waiting, QByteArrayView bytes)
{
    waiting.bytes.append(bytes.data(), bytes.size());
    const ProxyHeader header = parseProxyHeader(waiting.bytes);
    switch (header.status) {
    case ProxyHeader::Status::Incomplete:
        return;
    case ProxyHeader::Status::NotProxy:
        return handOver(waiting, {}, 0);
    case ProxyHeader::Status::Parsed:
        return handOver(waiting, header.sourceAddress, header.consumed);
    case ProxyHeader::Status::Invalid:
        qCWarning(lcProxyProtocol).noquote() << "closing a connection from trusted proxy"
                                             << plainPeerAddress(waiting.transport->peerAddress())
                                             << "with a malformed PROXY header:" << header.reason;
        waiting.transport->abort(); // forgotten through onClosed()
        return;
    }
}

void ProxyHeaderReader::handOver(Waiting &waiting, const QString &clientAddress, qsizetype consumed)
{
    auto proxied = std::make_unique<ProxiedTransport>(std::move(waiting.transport), clientAddress,
                                                      waiting.bytes.sliced(consumed));
    forget(waiting);
    ProxiedTransport *adopted = proxied.get();
    m_accepted(std::move(proxied));
    // Adopting registers the connection and never deletes it at once (deletion is queued).
    adopted->deliverEarlyBytes();
}

void ProxyHeaderReader::forget(Waiting &waiting)
{
    const auto entry = m_waiting.find(&waiting);
    if (entry == m_waiting.end())
        return;
    m_retired.push_back(std::move(entry->second));
    m_waiting.erase(entry);
    if (m_retired.size() == 1)
        QMetaObject::invokeMethod(
            this, [this] { m_retired.clear(); }, Qt::QueuedConnection);
    if (m_waiting.empty())
        m_sweepTimer->stop();
}

void ProxyHeaderReader::sweep()
{
    const qint64 now = monotonicMs();
    std::vector<Transport *> expired;
    for (const auto &[key, waiting] : m_waiting) {
        if (now >= waiting->deadlineMs)
            expired.push_back(waiting->transport.get());
    }
    for (Transport *transport : expired)
        transport->abort(); // forgotten through onClosed()
}

} // namespace veza::net
