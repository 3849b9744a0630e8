#pragma once

#include "streaming/ListenerLog.h"
#include "streaming/ListenerRoster.h"
#include "streaming/LiveStream.h"
#include "streaming/StreamDirectory.h"
#include "streaming/StreamProcessor.h"
#include "streaming/StreamTypes.h"

#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <functional>
#include <memory>

namespace veza::storage {
class Database;
}

namespace veza::streaming {

struct StreamMetrics;

// The live streams of this process, by name: one source per mount, MAX_STREAMS at most, the
// grace period after a source leaves, the bitrate measurement, metrics and the session rows.
// Knows nothing of HTTP or sockets.
//
// Threads: the hub is a QObject of the main thread, where its timers (grace periods, the
// once-a-second measurement) and its database continuations run. Network threads call the
// thread-safe members below, which take one short lock (never held across I/O or a database
// call) and queue anything slow to the main thread. Audio bytes never pass through the hub:
// the source's session publishes into its LiveStream, which queues each chunk once per
// network thread that has listeners (StreamSink).
class StreamHub : public QObject, public StreamDirectory
{
    Q_OBJECT

public:
    struct Options
    {
        int maxStreams = 10000;
        int maxListenersPerStream = 10000;
        int graceMs = 10000;
        qsizetype ringBytes = 256 * 1024; // burst ring per stream
        int burstMs = 1000;               // burst-on-connect (STREAM_BURST_MS)
        int listenerHistoryDays = 90;     // LISTENER_HISTORY_DAYS; 0 keeps every record
        // Makes each new live stream's audio processing (decoding, effects, renditions);
        // none: the stream is relayed as received, nothing more.
        std::function<std::shared_ptr<StreamProcessor>(const std::shared_ptr<LiveStream> &)>
            processorFactory;
        // Told, from any thread, of what an operator watches live (docs/protocol.md, /monitor
        // events): source_connected, source_dropped, refused. Must not block nor call back.
        std::function<void(const QJsonObject &)> events;
        // Why a stream's owner (users.name) may not broadcast now, e.g. "banned until ...", or
        // empty. Any thread, must not block. Asked when a source's credentials are checked,
        // and once a second of each live stream, whose source is cut when it answers.
        std::function<QString(const QString &owner)> ownerRefusal;
    };
    enum class Refusal { None, MountInUse, MaxStreams, Blocked, ShuttingDown };
    struct SourceGrant
    {
        std::shared_ptr<LiveStream> stream; // null when refused
        Refusal refusal = Refusal::None;
        qint64 blockedForMs = 0; // Blocked: how long yet
    };

    // `database` may be null (no session rows).
    StreamHub(Options options, storage::Database *database, StreamMetrics &metrics,
              QObject *parent = nullptr);
    ~StreamHub() override;

    // Any thread. A source for a stream that is live without one (grace period) takes it over:
    // listeners stay connected. A mount whose source was cut with a block refuses sources
    // until the block ends.
    SourceGrant connectSource(qint64 streamId, const QString &name, SourceMeta meta);
    // Whether a cut's block refuses sources for `name` now: connectSource() would say so at
    // once, with no need to ask the deployment for the mount first. Any thread.
    bool isBlocked(const QString &name) const;
    void sourceDisconnected(const std::shared_ptr<LiveStream> &stream);
    // The live stream of that name, or null.
    std::shared_ptr<LiveStream> find(const QString &name) const;
    // Every live stream, by name.
    QList<std::shared_ptr<LiveStream>> liveStreams() const;
    int maxListenersPerStream() const { return m_options.maxListenersPerStream; }
    // How much recent audio a new listener gets: burstMs at the measured bitrate.
    qsizetype burstBytes(const LiveStream &stream) const;
    StreamMetrics &metrics() const { return m_metrics; }
    // Options::ownerRefusal's answer for `owner` (empty: may broadcast). Any thread.
    QString ownerRefusal(const QString &owner) const
    {
        return m_options.ownerRefusal ? m_options.ownerRefusal(owner) : QString();
    }
    // A listener or source refused (stream_refused_total{reason}); the limits reached (not
    // bad credentials) are also events. `who`: "listener" or "source". Any thread.
    void refused(const QString &reason, const QString &stream, const QString &who,
                 const QString &address) const;
    // Where listeners that leave are recorded (listener_sessions); record() from any thread.
    ListenerLog &listenerLog() const { return *m_listenerLog; }
    // The listeners connected now (thread-safe).
    ListenerRoster &roster() const { return m_roster; }
    LiveStatus status(const QString &name) const override;
    void endLive(const QString &name) override;
    void keyRotated(const QString &name) override;
    void described(const QString &name, const StreamListing &listing) override;
    bool cutSource(const QString &name, qint64 blockMs) override;
    // The title on air (ICY StreamTitle, every rendition's tags); false when `name` is not
    // live here. Any thread.
    bool retitle(const QString &name, const QByteArray &title);
    EffectsChange changeEffects(const QString &name, const QJsonObject &patch) override;
    QList<ListenerRoster::Listener> connectedListeners(qint64 streamId) const override
    {
        return m_roster.listeners(streamId);
    }
    bool disconnectListener(qint64 streamId, qint64 listenerId) override
    {
        return m_roster.disconnect(streamId, listenerId);
    }

    // Main thread, when a graceful shutdown begins: sources are refused from now on, and a
    // stream whose source leaves gets no grace period. drainStep() then ends each stream once
    // its source is gone and the audio it sent has reached the listeners.
    void beginDrain();
    // Main thread, polled while draining: ends (as "shutdown") the streams that are ready;
    // returns how many are still live.
    int drainStep();
    // Main thread: ends every live stream and its session row, and queues the listener records
    // (shutdown, after the network threads stopped).
    void endAll();

private:
    struct Entry
    {
        std::shared_ptr<LiveStream> stream;
        bool sourceConnected = true;
        quint64 generation = 0;
        std::optional<StreamListing> listing;
    };
    struct Measure // main thread only
    {
        QList<qint64> samples; // bytesIn, once a second, newest last
        QFuture<qint64> session;
        int peakListeners = 0;           // of the source's stream and every rendition together
        qint64 listenerBytesCounted = 0; // in stream_listener_bytes_total so far
    };

    SourceGrant grantSource(qint64 streamId, const QString &name, SourceMeta meta, bool *resumed);
    void began(const std::shared_ptr<LiveStream> &stream);
    void readListing(const std::shared_ptr<LiveStream> &stream);
    void emitEvent(const QJsonObject &event) const;
    void applyStoredEffects(const std::shared_ptr<LiveStream> &stream);
    void graceOver(const QString &name, quint64 generation);
    void finish(const std::shared_ptr<LiveStream> &stream, StreamEndReason reason);
    void measure();
    void cutRefusedOwners();

    const Options m_options;
    storage::Database *m_database;
    StreamMetrics &m_metrics;
    ListenerLog *m_listenerLog; // a child: main thread
    mutable ListenerRoster m_roster;
    mutable QMutex m_mutex;
    QHash<QString, Entry> m_streams;
    bool m_draining = false;                 // guarded by m_mutex
    QHash<QString, qint64> m_blockedUntilMs; // mounts whose source was cut with a block
    QHash<LiveStream *, Measure> m_measures;
};

} // namespace veza::streaming
