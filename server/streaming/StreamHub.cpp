#include "streaming/StreamHub.h"

#include "storage/Database.h"
#include "streaming/StreamMetrics.h"
#include "streaming/StreamStore.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>
#include <algorithm>
#include <utility>

Q_LOGGING_CATEGORY(lcStreamHub, "veza.streaming.hub")

namespace veza::streaming {
namespace {

constexpr int kMeasureIntervalMs = 1000;
constexpr int kMeasureWindow = 5;          // seconds averaged for the ingest bitrate
constexpr qint64 kDefaultBitrate = 128000; // until measured

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Listeners of the source's own bytes and of every rendition.
int allListeners(const LiveStream &stream)
{
    const std::shared_ptr<StreamProcessor> &processor = stream.processor();
    return stream.listeners() + (processor ? processor->listeners() : 0);
}

} // namespace

StreamHub::StreamHub(Options options, storage::Database *database, StreamMetrics &metrics,
                     QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_database(database)
    , m_metrics(metrics)
    , m_listenerLog(new ListenerLog(database, options.listenerHistoryDays, this))
{
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &StreamHub::measure);
    timer->start(kMeasureIntervalMs);
}

StreamHub::~StreamHub()
{
    endAll();
}

StreamHub::SourceGrant StreamHub::connectSource(qint64 streamId, const QString &name,
                                                SourceMeta meta)
{
    const QString contentType = QString::fromLatin1(meta.contentType);
    bool resumed = false;
    SourceGrant grant = grantSource(streamId, name, std::move(meta), &resumed);
    if (grant.stream)
        emitEvent({{QStringLiteral("type"), QStringLiteral("source_connected")},
                   {QStringLiteral("stream"), name},
                   {QStringLiteral("content_type"), contentType},
                   {QStringLiteral("resumed"), resumed}});
    return grant;
}

void StreamHub::emitEvent(const QJsonObject &event) const
{
    if (m_options.events)
        m_options.events(event);
}

void StreamHub::refused(const QString &reason, const QString &stream, const QString &who,
                        const QString &address) const
{
    m_metrics.refused.labels({reason}).inc();
    if (reason == QLatin1StringView("unauthorized"))
        return; // a metric only: bad keys are not news, and would drown the feed
    emitEvent({{QStringLiteral("type"), QStringLiteral("refused")},
               {QStringLiteral("stream"), stream},
               {QStringLiteral("who"), who},
               {QStringLiteral("reason"), reason},
               {QStringLiteral("address"), address}});
}

// connectSource() under the lock; `resumed`: a source came back within the grace period.
StreamHub::SourceGrant StreamHub::grantSource(qint64 streamId, const QString &name, SourceMeta meta,
                                              bool *resumed)
{
    QMutexLocker lock(&m_mutex);
    if (m_draining)
        return {nullptr, Refusal::ShuttingDown};
    if (const auto blocked = m_blockedUntilMs.constFind(name); blocked != m_blockedUntilMs.cend()) {
        const qint64 left = *blocked - nowMs();
        if (left > 0)
            return {nullptr, Refusal::Blocked, left};
        m_blockedUntilMs.erase(blocked);
    }
    auto it = m_streams.find(name);
    if (it != m_streams.end()) {
        if (it->sourceConnected)
            return {nullptr, Refusal::MountInUse};
        it->sourceConnected = true; // back within the grace period
        *resumed = true;
        ++it->generation;
        it->stream->setMeta(std::move(meta));
        return {it->stream, Refusal::None};
    }
    if (m_streams.size() >= m_options.maxStreams)
        return {nullptr, Refusal::MaxStreams};
    auto stream = std::make_shared<LiveStream>(streamId, name, m_options.ringBytes, nowMs());
    stream->setMeta(std::move(meta));
    if (m_options.processorFactory)
        stream->setProcessor(m_options.processorFactory(stream));
    m_streams.insert(name, Entry{stream, true, 0});
    m_metrics.streamsActive.set(double(m_streams.size()));
    QMetaObject::invokeMethod(
        this, [this, stream] { began(stream); }, Qt::QueuedConnection);
    return {stream, Refusal::None};
}

void StreamHub::sourceDisconnected(const std::shared_ptr<LiveStream> &stream)
{
    m_metrics.sourceDisconnects.inc();
    stream->flush(); // the source's last bytes reach the listeners
    QMutexLocker lock(&m_mutex);
    auto it = m_streams.find(stream->name);
    if (it == m_streams.end() || it->stream != stream || !it->sourceConnected)
        return;
    it->sourceConnected = false;
    const quint64 generation = ++it->generation;
    const bool draining = m_draining;
    lock.unlock();
    emitEvent({{QStringLiteral("type"), QStringLiteral("source_dropped")},
               {QStringLiteral("stream"), stream->name},
               {QStringLiteral("grace_ms"), draining ? 0 : m_options.graceMs}});
    if (draining)
        return; // drainStep() ends the stream once its audio is out
    QMetaObject::invokeMethod(
        this,
        [this, name = stream->name, generation] {
            QTimer::singleShot(m_options.graceMs, this,
                               [this, name, generation] { graceOver(name, generation); });
        },
        Qt::QueuedConnection);
}

std::shared_ptr<LiveStream> StreamHub::find(const QString &name) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_streams.constFind(name);
    return it == m_streams.cend() ? nullptr : it->stream;
}

QList<std::shared_ptr<LiveStream>> StreamHub::liveStreams() const
{
    QList<std::shared_ptr<LiveStream>> streams;
    QMutexLocker lock(&m_mutex);
    streams.reserve(m_streams.size());
    for (const Entry &entry : m_streams)
        streams.append(entry.stream);
    lock.unlock();
    std::sort(streams.begin(), streams.end(),
              [](const auto &a, const auto &b) { return a->name < b->name; });
    return streams;
}

qsizetype StreamHub::burstBytes(const LiveStream &stream) const
{
    const qint64 bps = stream.bitrate() > 0 ? stream.bitrate() : kDefaultBitrate;
    return qBound<qsizetype>(0, qsizetype(bps / 8 * m_options.burstMs / 1000), m_options.ringBytes);
}

LiveStatus StreamHub::status(const QString &name) const
{
    const std::shared_ptr<LiveStream> stream = find(name);
    if (!stream)
        return {};
    const qint64 bps = stream->bitrate();
    LiveStatus live{true,
                    allListeners(*stream),
                    bps > 0 ? std::optional<qint64>(bps) : std::nullopt,
                    stream->startedAtMs,
                    {},
                    QString::fromUtf8(stream->title()),
                    stream->titleSetAtMs()};
    {
        QMutexLocker lock(&m_mutex);
        if (const auto it = m_streams.constFind(name); it != m_streams.cend())
            live.listing = it->listing;
    }
    if (const std::shared_ptr<StreamProcessor> &processor = stream->processor()) {
        live.audio = processor->stats();
        live.audio.insert(QStringLiteral("effects"), processor->effects());
    }
    return live;
}

EffectsChange StreamHub::changeEffects(const QString &name, const QJsonObject &patch)
{
    const std::shared_ptr<LiveStream> stream = find(name);
    if (!stream || !stream->processor())
        return StreamDirectory::changeEffects(name, patch);
    QString error;
    const std::optional<QJsonObject> effects = stream->processor()->patchEffects(patch, &error);
    if (!effects)
        return {400, error.toUtf8(), {}};
    return {200, {}, *effects};
}

void StreamHub::endLive(const QString &name)
{
    std::shared_ptr<LiveStream> stream;
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_streams.find(name);
        if (it == m_streams.end())
            return;
        stream = it->stream;
        m_streams.erase(it);
        m_metrics.streamsActive.set(double(m_streams.size()));
    }
    stream->end(); // at once: the source stops publishing, no listener attaches
    QMetaObject::invokeMethod(
        this, [this, stream] { finish(stream, StreamEndReason::Deleted); }, Qt::QueuedConnection);
}

void StreamHub::keyRotated(const QString &name)
{
    if (const std::shared_ptr<LiveStream> stream = find(name))
        stream->keyRotated();
}

bool StreamHub::cutSource(const QString &name, qint64 blockMs)
{
    QMutexLocker lock(&m_mutex);
    if (blockMs > 0)
        m_blockedUntilMs.insert(name, nowMs() + blockMs);
    const auto it = m_streams.constFind(name);
    if (it == m_streams.cend())
        return false;
    it->stream->cutSource();
    return true;
}

bool StreamHub::isBlocked(const QString &name) const
{
    QMutexLocker lock(&m_mutex);
    const auto blocked = m_blockedUntilMs.constFind(name);
    return blocked != m_blockedUntilMs.cend() && *blocked > nowMs();
}

bool StreamHub::retitle(const QString &name, const QByteArray &title)
{
    const std::shared_ptr<LiveStream> stream = find(name);
    if (!stream)
        return false;
    stream->setTitle(title);
    if (const auto &processor = stream->processor())
        processor->setTitle(title);
    return true;
}

// Main thread, just after a new stream went live: its session row.
void StreamHub::began(const std::shared_ptr<LiveStream> &stream)
{
    Measure &measure = m_measures[stream.get()];
    const bool relayed = stream->meta().relayed;
    qCInfo(lcStreamHub).noquote() << (relayed ? "stream relayed:" : "stream live:") << stream->name;
    if (!m_database)
        return;
    if (relayed) { // its own instance records the session and applies the effects
        readListing(stream);
        return;
    }
    measure.session =
        m_database->run([id = stream->streamId, at = stream->startedAtMs](QSqlDatabase &db) {
            try {
                return StreamStore::startSession(db, id, at);
            } catch (const std::exception &error) {
                qCWarning(lcStreamHub) << "session start not recorded:" << error.what();
                return qint64(-1);
            }
        });
    applyStoredEffects(stream);
    readListing(stream);
}

// Title, owner and visibility, for live views (/monitor), once per broadcast; PATCH keeps
// them current through described().
void StreamHub::readListing(const std::shared_ptr<LiveStream> &stream)
{
    m_database
        ->run([name = stream->name](QSqlDatabase &db) -> std::optional<StreamListing> {
            try {
                if (const std::optional<StreamInfo> info = StreamStore::find(db, name))
                    return StreamListing{info->title, info->ownerName, info->isPublic};
            } catch (const std::exception &error) {
                qCWarning(lcStreamHub) << "stream listing not read:" << error.what();
            }
            return std::nullopt;
        })
        .then(this, [this, stream](const std::optional<StreamListing> &listing) {
            QMutexLocker lock(&m_mutex);
            const auto it = m_streams.find(stream->name);
            if (listing && it != m_streams.end() && it->stream == stream && !it->listing)
                it->listing = listing;
        });
}

void StreamHub::described(const QString &name, const StreamListing &listing)
{
    QMutexLocker lock(&m_mutex);
    if (const auto it = m_streams.find(name); it != m_streams.end())
        it->listing = listing;
}

// The effects chain the stream's owner set (PATCH .../effects), from the broadcast's start.
void StreamHub::applyStoredEffects(const std::shared_ptr<LiveStream> &stream)
{
    if (!stream->processor())
        return;
    m_database
        ->run([id = stream->streamId](QSqlDatabase &db) {
            try {
                return StreamStore::effects(db, id);
            } catch (const std::exception &error) {
                qCWarning(lcStreamHub) << "stored effects not read:" << error.what();
                return QJsonObject();
            }
        })
        .then(this, [stream](const QJsonObject &effects) {
            QString error;
            if (!effects.isEmpty() && !stream->processor()->patchEffects(effects, &error))
                qCWarning(lcStreamHub).noquote()
                    << "stored effects of" << stream->name << "not applied:" << error;
        });
}

void StreamHub::graceOver(const QString &name, quint64 generation)
{
    std::shared_ptr<LiveStream> stream;
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_streams.find(name);
        if (m_draining || it == m_streams.end() || it->generation != generation ||
            it->sourceConnected)
            return;
        stream = it->stream;
        m_streams.erase(it);
        m_metrics.streamsActive.set(double(m_streams.size()));
    }
    finish(stream, StreamEndReason::SourceLeft);
}

// Main thread: listeners closed, gauges zeroed, the session row ended with its figures.
void StreamHub::finish(const std::shared_ptr<LiveStream> &stream, StreamEndReason reason)
{
    const Measure measure = m_measures.take(stream.get());
    // The once-a-second samples miss a short-lived peak of the source's own listeners, which
    // its stream counts exactly.
    const int peakListeners =
        std::max({measure.peakListeners, allListeners(*stream), stream->peakListeners()});
    stream->end();
    if (const std::shared_ptr<StreamProcessor> &processor = stream->processor())
        processor->end();
    // Its series go: a name that is not live any more is not a series left at 0 forever.
    m_metrics.streamListeners.remove({stream->name});
    m_metrics.ingestBitrate.remove({stream->name});
    m_metrics.listenerBytes.remove({stream->name});
    m_roster.forgetBytes(stream->streamId);
    qCInfo(lcStreamHub).noquote() << "stream ended:" << stream->name
                                  << "bytes_in:" << stream->bytesIn()
                                  << "bytes_out:" << stream->bytesOut()
                                  << "peak_listeners:" << peakListeners;
    if (!m_database || !measure.session.isValid())
        return;
    storage::Database *database = m_database;
    const qint64 endedAt = nowMs();
    auto end = [database, stream, endedAt, peakListeners, reason](qint64 sessionId) {
        if (sessionId < 0)
            return;
        database->run([=](QSqlDatabase &db) {
            try {
                StreamStore::endSession(db, sessionId, endedAt, peakListeners, stream->bytesIn(),
                                        stream->bytesOut(), reason);
            } catch (const std::exception &error) {
                qCWarning(lcStreamHub) << "session end not recorded:" << error.what();
            }
        });
    };
    QFuture<qint64> session = measure.session;
    if (session.isFinished()) // queued at once, so a shutdown's waitForIdle() covers it
        end(session.result());
    else
        session.then(this, end);
}

void StreamHub::beginDrain()
{
    QMutexLocker lock(&m_mutex);
    m_draining = true;
}

int StreamHub::drainStep()
{
    QList<std::shared_ptr<LiveStream>> ready;
    int live = 0;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_streams.begin(); it != m_streams.end();) {
            const std::shared_ptr<StreamProcessor> &processor = it->stream->processor();
            if (it->sourceConnected || (processor && !processor->drained())) {
                ++live;
                ++it;
                continue;
            }
            ready.append(it->stream);
            it = m_streams.erase(it);
        }
        m_metrics.streamsActive.set(double(m_streams.size()));
    }
    for (const std::shared_ptr<LiveStream> &stream : std::as_const(ready))
        finish(stream, StreamEndReason::Shutdown);
    return live;
}

void StreamHub::endAll()
{
    QList<std::shared_ptr<LiveStream>> streams;
    {
        QMutexLocker lock(&m_mutex);
        for (const Entry &entry : std::as_const(m_streams))
            streams.append(entry.stream);
        m_streams.clear();
        m_metrics.streamsActive.set(0);
    }
    for (const std::shared_ptr<LiveStream> &stream : streams)
        finish(stream, StreamEndReason::Shutdown);
    m_measures.clear();
    m_listenerLog->flush(); // before the shutdown waits for the database to be idle
}

void StreamHub::measure()
{
    QList<std::shared_ptr<LiveStream>> streams;
    {
        QMutexLocker lock(&m_mutex);
        for (const Entry &entry : std::as_const(m_streams))
            streams.append(entry.stream);
    }
    int listeners = 0;
    for (const std::shared_ptr<LiveStream> &stream : streams) {
        Measure &measure = m_measures[stream.get()];
        QList<qint64> &samples = measure.samples;
        samples.append(stream->bytesIn());
        if (samples.size() > kMeasureWindow + 1)
            samples.removeFirst();
        if (samples.size() >= 2) {
            const qint64 bytes = samples.last() - samples.first();
            const qint64 seconds = samples.size() - 1;
            stream->setBitrate(bytes * 8 / seconds);
        }
        const int streamListeners = allListeners(*stream);
        measure.peakListeners = std::max(measure.peakListeners, streamListeners);
        listeners += streamListeners;
        m_metrics.streamListeners.labels({stream->name}).set(streamListeners);
        m_metrics.ingestBitrate.labels({stream->name}).set(double(stream->bitrate()));
        const qint64 sent = m_roster.bytesSent(stream->streamId);
        m_metrics.listenerBytes.labels({stream->name})
            .inc(double(sent - std::exchange(measure.listenerBytesCounted, sent)));
    }
    m_metrics.listenersActive.set(listeners);
    cutRefusedOwners();
}

// A stream whose owner was banned meanwhile (on any instance) goes off the air: its source is
// cut, and its key refused from now on, so the grace period ends it.
void StreamHub::cutRefusedOwners()
{
    if (!m_options.ownerRefusal)
        return;
    QList<std::pair<std::shared_ptr<LiveStream>, QString>> owned;
    {
        QMutexLocker lock(&m_mutex);
        for (const Entry &entry : std::as_const(m_streams)) {
            if (entry.sourceConnected && entry.listing && !entry.stream->meta().relayed)
                owned.append({entry.stream, entry.listing->owner});
        }
    }
    for (const auto &[stream, owner] : owned) {
        const QString refusal = m_options.ownerRefusal(owner);
        if (refusal.isEmpty())
            continue;
        qCInfo(lcStreamHub).noquote()
            << "source of" << stream->name << "cut off: its owner" << owner << "is" << refusal;
        stream->cutSource();
    }
}

} // namespace veza::streaming
