#include "net/LiveSource.h"

#include "MonotonicClock.h"
#include "streaming/LiveStream.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamProcessor.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSource, "veza.net.source")

namespace veza::net {
namespace {
constexpr int kResumeCheckMs = 50;
}

LiveSource::LiveSource(streaming::StreamHub &hub, std::shared_ptr<streaming::LiveStream> stream,
                       std::function<void(bool)> pauseReading)
    : m_hub(hub)
    , m_stream(std::move(stream))
    , m_pauseReading(std::move(pauseReading))
    , m_lastReceivedMs(monotonicMs())
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
        m_pauseReading(false);
    });
}

LiveSource::~LiveSource()
{
    leave();
}

void LiveSource::start()
{
    m_lastReceivedMs = monotonicMs();
    if (const auto &processor = m_stream->processor())
        processor->sourceStarted(m_stream->meta());
}

LiveSource::Verdict LiveSource::feed(QByteArrayView bytes)
{
    if (!m_stream)
        return Verdict::StreamEnded;
    m_lastReceivedMs = monotonicMs();
    if (!m_stream->publish(bytes)) { // the stream was deleted: no grace period to start
        m_stream.reset();
        return Verdict::StreamEnded;
    }
    const auto &processor = m_stream->processor();
    if (processor && !processor->push(bytes))
        return refuse(Verdict::Unusable, "dropped: its audio is not being played out (faster "
                                         "than real time, or unusable: see the audio "
                                         "pipeline's log line)");
    if (processor && processor->inputBacklogged() && !m_resumeCheck.isActive()) {
        m_pauseReading(true);
        m_resumeCheck.start();
    }
    if (!m_trailingFlush.isActive())
        m_trailingFlush.start(int(streaming::LiveStream::kBatchMs));
    return Verdict::Fed;
}

LiveSource::Verdict LiveSource::check(qint64 nowMs)
{
    if (!m_stream)
        return Verdict::Fed;
    const auto *processor = m_stream->processor().get();
    if (processor && processor->sourceRefused())
        return refuse(Verdict::Unusable,
                      "dropped: its audio is unusable (see the audio pipeline's log line)");
    if (!m_resumeCheck.isActive() && nowMs - m_lastReceivedMs > kIdleTimeoutMs)
        return refuse(Verdict::Silent, "silent for 30 s");
    return Verdict::Fed;
}

LiveSource::Verdict LiveSource::refuse(Verdict verdict, const char *why)
{
    qCWarning(lcSource).noquote() << "source of" << m_stream->name << why;
    leave();
    return verdict;
}

void LiveSource::setTitle(const QByteArray &title)
{
    if (!m_stream)
        return;
    m_stream->setTitle(title);
    if (const auto &processor = m_stream->processor())
        processor->setTitle(title);
}

void LiveSource::leave()
{
    m_trailingFlush.stop();
    if (m_resumeCheck.isActive()) {
        m_resumeCheck.stop();
        m_pauseReading(false);
    }
    if (std::shared_ptr<streaming::LiveStream> stream = std::exchange(m_stream, {})) {
        if (const auto &processor = stream->processor())
            processor->sourceStopped();
        m_hub.sourceDisconnected(stream);
    }
}

} // namespace veza::net
