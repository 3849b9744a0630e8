#include "endpoints/icecast/SourceSession.h"

#include "MonotonicClock.h"
#include "streaming/LiveStream.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcSource)

namespace veza::endpoints {
namespace {
constexpr qint64 kMaxBytesPerSecond = 8 * 1024 * 1024;
} // namespace

SourceSession::SourceSession(std::unique_ptr<net::Transport> transport, streaming::StreamHub &hub,
                             std::shared_ptr<streaming::LiveStream> stream,
                             QByteArray acknowledgement)
    : TakenConnection(std::move(transport))
    , m_source(hub, stream, true,
               [this](bool paused) { this->transport().setReadingPaused(paused); })
    , m_name(stream->name)
    , m_acknowledgement(std::move(acknowledgement))
    , m_windowStartMs(monotonicMs())
{
}

void SourceSession::start(QByteArray buffered)
{
    transport().write(std::exchange(m_acknowledgement, {}));
    m_source.start();
    if (!buffered.isEmpty())
        onReceived(buffered);
}

void SourceSession::onReceived(QByteArrayView bytes)
{
    if (!m_source.isLive())
        return;
    const qint64 now = monotonicMs();
    if (now - m_windowStartMs >= 1000) {
        m_windowStartMs = now;
        m_windowBytes = 0;
    }
    m_windowBytes += bytes.size();
    if (m_windowBytes > kMaxBytesPerSecond) {
        qCWarning(lcSource).noquote()
            << "source of" << m_name << "dropped: more than 8 MiB in a second";
        return cutOff();
    }
    if (m_source.feed(bytes) != LiveSource::Verdict::Fed)
        cutOff();
}

void SourceSession::tick(qint64 nowMs)
{
    if (m_source.check(nowMs) != LiveSource::Verdict::Fed)
        cutOff();
}

void SourceSession::drain()
{
    if (!m_source.isLive())
        return;
    qCInfo(lcSource).noquote() << "source of" << m_name << "closed: the server is shutting down";
    m_source.leave(); // also resumes reading, so what arrives meanwhile is read and dropped
    closeAfterWrite();
}

void SourceSession::cutOff()
{
    m_source.leave();
    transport().abort();
}

} // namespace veza::endpoints
