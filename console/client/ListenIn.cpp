#include "ListenIn.h"

#include "AudioDecoder.h"
#include "PcmQueue.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QLocale>
#include <QMediaDevices>
#include <QThread>
#include <QUrlQuery>

namespace veza::console {
namespace {

// What the server hands a new HTTP listener at once (STREAM_BURST_MS's default): the player
// starts that far behind the live edge.
constexpr qint64 kServerBurstMs = 1000;
// Audio decoded before the device starts: enough to ride out the server's half-second batches.
constexpr qint64 kStartMs = 500;
// At most this much decoded audio waits; beyond, the oldest goes (the player stays near live).
constexpr qint64 kMaxQueuedMs = 5000;
// The device's own buffer.
constexpr qint64 kDeviceBufferMs = 250;

constexpr qint64 bytesOf(qint64 ms)
{
    return ms * AudioDecoder::kSampleRate / 1000 * AudioDecoder::kBytesPerFrame;
}

constexpr qint64 msOf(qint64 bytes)
{
    return bytes / AudioDecoder::kBytesPerFrame * 1000 / AudioDecoder::kSampleRate;
}

} // namespace

QUrl ListenIn::urlOf(const QUrl &httpBase, const QString &stream, const QString &rendition)
{
    QUrl url = httpBase;
    QString extension;
    if (rendition.startsWith(u"opus")) {
        extension = QStringLiteral(".opus");
        const QString kbps = rendition.mid(4);
        if (!kbps.isEmpty()) {
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("bitrate"), kbps);
            url.setQuery(query);
        }
    } else if (!rendition.isEmpty() && rendition != u"source")
        extension = QLatin1Char('.') + rendition;
    url.setPath(QStringLiteral("/live/%1%2").arg(stream, extension));
    return url;
}

ListenIn::ListenIn(QObject *parent)
    : QObject(parent)
{
    m_ticks.setInterval(250);
    connect(&m_ticks, &QTimer::timeout, this, &ListenIn::tick);
}

ListenIn::~ListenIn()
{
    stop();
}

void ListenIn::play(const QUrl &httpBase, const QString &stream, const QString &rendition)
{
    stop();
    m_stream = stream;
    m_rendition = rendition.isEmpty() ? QStringLiteral("source") : rendition;
    m_queue = std::make_shared<PcmQueue>(bytesOf(kMaxQueuedMs));
    m_queue->open(QIODevice::ReadOnly);
    auto *decoder = new AudioDecoder(urlOf(httpBase, stream, rendition), m_queue);
    auto *thread = QThread::create([decoder] { decoder->run(); });
    thread->setObjectName(QStringLiteral("listen-in"));
    decoder->moveToThread(thread);
    // Both go when the thread ends, however it ends: stop() never waits for it.
    connect(thread, &QThread::finished, decoder, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(decoder, &AudioDecoder::opened, this, &ListenIn::opened);
    connect(decoder, &AudioDecoder::failed, this, &ListenIn::fail);
    connect(decoder, &AudioDecoder::ended, this, [this] { fail(tr("the stream ended")); });
    m_decoder = decoder;
    m_thread = thread;
    thread->start();
    m_ticks.start();
    setState(State::Connecting);
}

void ListenIn::stop()
{
    stopDecoding();
    m_stream.clear();
    m_codec.clear();
    m_problem.clear();
    setState(State::Stopped);
}

void ListenIn::stopDecoding()
{
    m_ticks.stop();
    if (m_decoder) {
        disconnect(m_decoder, nullptr, this, nullptr);
        m_decoder->abort(); // its thread ends on its own, and deletes it
    }
    m_decoder = nullptr;
    m_thread = nullptr;
    if (m_sink) {
        // Later: Qt 6.4's PulseAudio sink runs the event loop in its destructor, which must not
        // happen in the middle of a window's destruction.
        m_sink->stop();
        m_sink->deleteLater();
        m_sink = nullptr;
    }
    m_queue.reset();
    m_since.invalidate();
    m_drainedSince.invalidate();
    m_drainedBytes = 0;
}

void ListenIn::setVolume(float volume)
{
    m_volume = volume;
    if (m_sink)
        m_sink->setVolume(m_muted ? 0 : m_volume);
}

void ListenIn::setMuted(bool muted)
{
    m_muted = muted;
    setVolume(m_volume);
}

void ListenIn::opened(const QString &codec)
{
    m_codec = codec;
    setState(State::Buffering);
}

void ListenIn::fail(const QString &problem)
{
    stopDecoding();
    m_problem = problem;
    setState(State::Failed);
    Q_EMIT failed(problem);
}

void ListenIn::tick()
{
    if (!m_queue)
        return;
    if (!m_since.isValid() && m_queue->queuedBytes() > 0)
        m_since.start();
    if (m_state == State::Buffering && !m_sink && !m_drainedSince.isValid() &&
        m_queue->queuedBytes() >= bytesOf(kStartMs))
        startOutput();
    if (m_drainedSince.isValid()) {
        // No device: take what a device would have played by now.
        const qint64 due = bytesOf(m_drainedSince.elapsed()) - m_drainedBytes;
        QByteArray sink(qsizetype(std::max<qint64>(0, due)), Qt::Uninitialized);
        m_drainedBytes += m_queue->read(sink.data(), sink.size());
    }
    if (m_sink || m_drainedSince.isValid())
        setState(m_queue->queuedBytes() > 0 || (m_sink && m_sink->state() == QAudio::ActiveState)
                     ? State::Playing
                     : State::Buffering);
    Q_EMIT changed();
}

void ListenIn::startOutput()
{
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull()) {
        m_drainedSince.start();
        return;
    }
    QAudioFormat format;
    format.setSampleRate(AudioDecoder::kSampleRate);
    format.setChannelCount(AudioDecoder::kChannels);
    format.setSampleFormat(QAudioFormat::Int16);
    m_sink = new QAudioSink(device, format); // no parent: see stopDecoding()
    m_sink->setBufferSize(bytesOf(kDeviceBufferMs));
    m_sink->setVolume(m_muted ? 0 : m_volume);
    m_sink->start(m_queue.get()); // pull mode: the device reads what the decoder queued
    if (m_sink->error() != QAudio::NoError) {
        m_sink->deleteLater();
        m_sink = nullptr;
        m_drainedSince.start();
    }
}

void ListenIn::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT changed();
}

qint64 ListenIn::positionMs() const
{
    if (m_sink)
        return m_sink->processedUSecs() / 1000;
    return msOf(m_drainedBytes);
}

qint64 ListenIn::bufferedMs() const
{
    if (!m_queue)
        return 0;
    qint64 bytes = m_queue->queuedBytes();
    if (m_sink)
        bytes += std::max<qint64>(0, m_sink->bufferSize() - m_sink->bytesFree());
    return msOf(bytes);
}

qint64 ListenIn::behindLiveMs() const
{
    if (m_state != State::Playing || !m_since.isValid())
        return -1;
    return std::max<qint64>(0, m_since.elapsed() - positionMs()) + kServerBurstMs;
}

QString ListenIn::describe() const
{
    const QLocale locale;
    switch (m_state) {
    case State::Stopped:
        return tr("Not listening");
    case State::Connecting:
        return tr("Connecting...");
    case State::Failed:
        return tr("Cannot play: %1").arg(m_problem);
    case State::Buffering:
        return tr("Buffering %1 (%2): %3 s")
            .arg(m_stream, m_rendition, locale.toString(bufferedMs() / 1000.0, 'f', 1));
    case State::Playing:
        break;
    }
    return tr("Playing %1 (%2): buffer %3 s, %4 s behind live")
        .arg(m_stream, m_rendition, locale.toString(bufferedMs() / 1000.0, 'f', 1),
             locale.toString(behindLiveMs() / 1000.0, 'f', 1));
}

} // namespace veza::console
