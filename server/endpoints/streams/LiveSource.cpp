#include "endpoints/streams/LiveSource.h"

#include "MonotonicClock.h"
#include "streaming/LiveStream.h"
#include "streaming/SourceSniffer.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamProcessor.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSource, "veza.net.source")

namespace veza::endpoints {
namespace {
constexpr int kResumeCheckMs = 50;
}

LiveSource::LiveSource(streaming::StreamHub &hub, std::shared_ptr<streaming::LiveStream> stream,
                       bool byKey, std::function<void(bool)> pauseReading)
    : m_hub(hub)
    , m_stream(std::move(stream))
    , m_pauseReading(std::move(pauseReading))
    , m_byKey(byKey)
    , m_keyRotations(m_stream->keyRotations())
    , m_sourceCuts(m_stream->sourceCuts())
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
}

bool LiveSource::settleContainer(QByteArray &bytes)
{
    m_head += bytes;
    if (m_head.size() < streaming::SourceSniffer::headBytes)
        return false;
    bytes = std::exchange(m_head, {});
    streaming::SourceMeta meta = m_stream->meta();
    const QByteArray type = streaming::SourceSniffer::reconcile(meta.contentType, bytes);
    if (type != meta.contentType) {
        qCWarning(lcSource).noquote()
            << QStringLiteral("source of %1 announced Content-Type %2 but sends %3: played as %3")
                   .arg(m_stream->name, QString::fromLatin1(meta.contentType),
                        QString::fromLatin1(type));
        meta.contentType = type;
        m_stream->setMeta(meta);
    }
    m_started = true;
    if (const auto &processor = m_stream->processor())
        processor->sourceStarted(meta);
    return true;
}

LiveSource::Verdict LiveSource::feed(QByteArrayView received)
{
    if (!m_stream)
        return Verdict::StreamEnded;
    m_lastReceivedMs = monotonicMs();
    if (const Verdict verdict = revoked(); verdict != Verdict::Fed)
        return verdict;
    QByteArray held;
    QByteArrayView bytes = received;
    if (!m_started) {
        held = received.toByteArray();
        if (!settleContainer(held))
            return Verdict::Fed;
        bytes = held;
    }
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
    if (const Verdict verdict = revoked(); verdict != Verdict::Fed)
        return verdict;
    const auto *processor = m_started ? m_stream->processor().get() : nullptr;
    if (processor && processor->sourceRefused())
        return refuse(Verdict::Unusable,
                      "dropped: its audio is unusable (see the audio pipeline's log line)");
    if (!m_resumeCheck.isActive() && nowMs - m_lastReceivedMs > kIdleTimeoutMs)
        return refuse(Verdict::Silent, "silent for 30 s");
    return Verdict::Fed;
}

LiveSource::Verdict LiveSource::revoked()
{
    if (m_stream->sourceCuts() != m_sourceCuts)
        return refuse(Verdict::Cut, "cut off by its owner, an admin or a moderator");
    if (m_byKey && m_stream->keyRotations() != m_keyRotations)
        return refuse(Verdict::KeyRotated, "disconnected: its stream key was rotated");
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
        if (const auto &processor = stream->processor(); processor && m_started)
            processor->sourceStopped();
        m_hub.sourceDisconnected(stream);
    }
}

} // namespace veza::endpoints
