#pragma once

#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

namespace veza::storage {
class Database;
}

namespace veza::streaming {

enum class ListenerKind { Http, WebSocket };
// Why a listener's connection ended.
enum class ListenerEndReason {
    Left,        // the client closed it
    Slow,        // dropped for not keeping up
    StreamEnded, // the broadcast ended
    Shutdown,    // the server stopped
    Kicked,      // disconnected by its stream's owner, an admin or a moderator
};

// "http", "websocket"; "left", "slow", "stream_ended", "shutdown", "kicked": the stored
// words.
QString listenerKindText(ListenerKind kind);
QString listenerEndReasonText(ListenerEndReason reason);

// The rendition a listener of this live stream hears: "source" for the source's own stream
// ("<stream>"), else the rendition's name ("<stream>.<rendition>": opus64, mp3, ...).
QString renditionOfLiveStream(const QString &liveStreamName);

// One listener that left, as the network thread saw it (a row of listener_sessions). The
// broadcast (stream_sessions row) it heard is found when the record is written: the stream's
// session that was live at connectedAtMs, or none.
struct ListenerRecord
{
    static constexpr qsizetype maxUserAgentLength = 256; // longer ones are cut

    qint64 streamId = 0;
    QString streamName; // for the log
    ListenerKind kind = ListenerKind::Http;
    QString rendition;        // renditionOfLiveStream()
    qint64 connectedAtMs = 0; // wall clock, ms since the epoch
    qint64 endedAtMs = 0;
    qint64 bytes = 0; // sent to the listener
    QString userAgent;
    QString address; // the peer's IP address
    ListenerEndReason endReason = ListenerEndReason::Left;
};

// ListenerLog: where listeners that leave are recorded, from any network thread, and written
// to the database in batches.
//
// Threads: record() is thread-safe and never blocks on I/O: it appends to a bounded queue
// under a short lock. The log lives on the main thread (the StreamHub's), where a timer hands
// the queue to the database pool once a second, as one transaction. Beyond maxQueued records
// waiting (the database is stuck), new ones are counted and dropped with a warning.
//
// Retention: with retentionDays > 0 (LISTENER_HISTORY_DAYS), records older than that are
// deleted shortly after start and then every hour, a chunk at a time on the database pool.
class ListenerLog : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype maxQueued = 100000;
    static constexpr int flushIntervalMs = 1000;
    static constexpr int purgeIntervalMs = 3600 * 1000;
    static constexpr int firstPurgeDelayMs = 10 * 1000;
    static constexpr int purgeChunkRows = 5000;

    // `database` may be null: records are then discarded. `retentionDays` 0 keeps every record.
    explicit ListenerLog(storage::Database *database, int retentionDays = 0,
                         QObject *parent = nullptr);
    ~ListenerLog() override; // flushes

    // Any thread.
    void record(ListenerRecord record);
    // Main thread: queues the write of everything recorded so far on the database pool, even
    // while an earlier write is running (a shutdown then waits for the pool to be idle).
    void flush();

    // Main thread: queues the deletion of the records older than the retention (nothing when
    // it is 0, or while an earlier deletion runs). `nowMs`: wall clock, ms since the epoch.
    void purgeExpired(qint64 nowMs);

    // Any thread.
    qsizetype queued() const;
    qint64 dropped() const; // since start

private:
    void tick();
    void write(QList<ListenerRecord> records);

    storage::Database *m_database;
    const int m_retentionDays;
    std::shared_ptr<std::atomic<bool>> m_purgeRunning = std::make_shared<std::atomic<bool>>(false);
    mutable QMutex m_mutex;
    QList<ListenerRecord> m_queue; // guarded by m_mutex
    qint64 m_dropped = 0;          // guarded by m_mutex
    qint64 m_droppedWarned = 0;    // main thread
    std::shared_ptr<std::atomic<int>> m_writesRunning = std::make_shared<std::atomic<int>>(0);
};

} // namespace veza::streaming
