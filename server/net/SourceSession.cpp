#include "net/SourceSession.h"

#include "MonotonicClock.h"
#include "streaming/StreamHub.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSource, "veza.net.source")

namespace veza::net {
namespace {
constexpr qint64 kIdleTimeoutMs = 30000;
constexpr qint64 kMaxBytesPerSecond = 8 * 1024 * 1024;
} // namespace

SourceSession::SourceSession(std::unique_ptr<Transport> transport, streaming::StreamHub &hub,
                             std::shared_ptr<streaming::LiveStream> stream,
                             QByteArray acknowledgement)
    : TakenConnection(std::move(transport))
    , m_hub(hub)
    , m_stream(std::move(stream))
    , m_acknowledgement(std::move(acknowledgement))
    , m_lastReceivedMs(monotonicMs())
    , m_windowStartMs(m_lastReceivedMs)
{
    m_trailingFlush.setSingleShot(true);
    QObject::connect(&m_trailingFlush, &QTimer::timeout, &m_trailingFlush, [this] {
        if (m_stream)
            m_stream->flush();
    });
}

SourceSession::~SourceSession()
{
    leave();
}

void SourceSession::start(QByteArray buffered)
{
    transport().write(std::exchange(m_acknowledgement, {}));
    if (!buffered.isEmpty())
        onReceived(buffered);
}

void SourceSession::onReceived(QByteArrayView bytes)
{
    if (!m_stream)
        return;
    const qint64 now = monotonicMs();
    m_lastReceivedMs = now;
    if (now - m_windowStartMs >= 1000) {
        m_windowStartMs = now;
        m_windowBytes = 0;
    }
    m_windowBytes += bytes.size();
    if (m_windowBytes > kMaxBytesPerSecond) {
        qCWarning(lcSource).noquote()
            << "source of" << m_stream->name << "dropped: more than 8 MiB in a second";
        leave();
        transport().abort();
        return;
    }
    if (!m_stream->publish(bytes)) { // the stream was deleted
        m_stream.reset();
        transport().abort();
        return;
    }
    if (!m_trailingFlush.isActive())
        m_trailingFlush.start(int(streaming::LiveStream::kBatchMs));
}

void SourceSession::tick(qint64 nowMs)
{
    if (m_stream && nowMs - m_lastReceivedMs > kIdleTimeoutMs) {
        qCWarning(lcSource).noquote() << "source of" << m_stream->name << "silent for 30 s";
        transport().abort();
    }
}

void SourceSession::leave()
{
    if (std::shared_ptr<streaming::LiveStream> stream = std::exchange(m_stream, {}))
        m_hub.sourceDisconnected(stream);
}

} // namespace veza::net
