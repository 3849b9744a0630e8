#include "net/SourceSession.h"

#include "MonotonicClock.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamProcessor.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSource, "veza.net.source")

namespace veza::net {
namespace {
constexpr qint64 kIdleTimeoutMs = 30000;
constexpr qint64 kMaxBytesPerSecond = 8 * 1024 * 1024;
constexpr int kResumeCheckMs = 50;
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
    m_resumeCheck.setInterval(kResumeCheckMs);
    QObject::connect(&m_resumeCheck, &QTimer::timeout, &m_resumeCheck, [this] {
        const auto *processor = m_stream ? m_stream->processor().get() : nullptr;
        if (processor && processor->inputBacklogged())
            return;
        m_resumeCheck.stop();
        m_lastReceivedMs = monotonicMs(); // a paced source was not silent
        this->transport().setReadingPaused(false);
    });
}

SourceSession::~SourceSession()
{
    leave();
}

void SourceSession::start(QByteArray buffered)
{
    transport().write(std::exchange(m_acknowledgement, {}));
    if (const auto &processor = m_stream->processor())
        processor->sourceStarted(m_stream->meta());
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
    const auto &processor = m_stream->processor();
    if (processor && !processor->push(bytes)) {
        qCWarning(lcSource).noquote()
            << "source of" << m_stream->name
            << "dropped: its audio is not being played out (faster than real time, or "
               "unusable: see the audio pipeline's log line)";
        leave();
        transport().abort();
        return;
    }
    if (processor && processor->inputBacklogged() && !m_resumeCheck.isActive()) {
        transport().setReadingPaused(true);
        m_resumeCheck.start();
    }
    if (!m_trailingFlush.isActive())
        m_trailingFlush.start(int(streaming::LiveStream::kBatchMs));
}

void SourceSession::tick(qint64 nowMs)
{
    const auto *processor = m_stream ? m_stream->processor().get() : nullptr;
    if (processor && processor->sourceRefused()) {
        qCWarning(lcSource).noquote() << "source of" << m_stream->name
                                      << "dropped: its audio is unusable (see the audio "
                                         "pipeline's log line)";
        leave();
        transport().abort();
        return;
    }
    if (m_stream && !m_resumeCheck.isActive() && nowMs - m_lastReceivedMs > kIdleTimeoutMs) {
        qCWarning(lcSource).noquote() << "source of" << m_stream->name << "silent for 30 s";
        transport().abort();
    }
}

void SourceSession::leave()
{
    if (std::shared_ptr<streaming::LiveStream> stream = std::exchange(m_stream, {})) {
        if (const auto &processor = stream->processor())
            processor->sourceStopped();
        m_hub.sourceDisconnected(stream);
    }
}

} // namespace veza::net
