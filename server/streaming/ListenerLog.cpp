#include "streaming/ListenerLog.h"

#include "storage/Database.h"
#include "streaming/StreamStore.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcListenerLog, "veza.streaming.listeners")

namespace veza::streaming {

QString listenerKindText(ListenerKind kind)
{
    switch (kind) {
    case ListenerKind::Http:
        return QStringLiteral("http");
    case ListenerKind::WebSocket:
        return QStringLiteral("websocket");
    }
    return {};
}

QString listenerEndReasonText(ListenerEndReason reason)
{
    switch (reason) {
    case ListenerEndReason::Left:
        return QStringLiteral("left");
    case ListenerEndReason::Slow:
        return QStringLiteral("slow");
    case ListenerEndReason::StreamEnded:
        return QStringLiteral("stream_ended");
    case ListenerEndReason::Shutdown:
        return QStringLiteral("shutdown");
    case ListenerEndReason::Kicked:
        return QStringLiteral("kicked");
    }
    return {};
}

QString renditionOfLiveStream(const QString &liveStreamName)
{
    // Stream names have no '.' (isValidStreamName): the first one starts the rendition's name.
    const qsizetype dot = liveStreamName.indexOf(QLatin1Char('.'));
    return dot < 0 ? QStringLiteral("source") : liveStreamName.mid(dot + 1);
}

ListenerLog::ListenerLog(storage::Database *database, int retentionDays, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_retentionDays(retentionDays)
{
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &ListenerLog::tick);
    timer->start(flushIntervalMs);
    if (m_retentionDays > 0 && m_database) {
        const auto purgeNow = [this] { purgeExpired(QDateTime::currentMSecsSinceEpoch()); };
        QTimer::singleShot(firstPurgeDelayMs, this, purgeNow);
        auto *purgeTimer = new QTimer(this);
        connect(purgeTimer, &QTimer::timeout, this, purgeNow);
        purgeTimer->start(purgeIntervalMs);
    }
}

ListenerLog::~ListenerLog()
{
    flush();
}

void ListenerLog::record(ListenerRecord record)
{
    // Cut here, not only when stored: the queue's memory stays bounded by maxQueued.
    record.userAgent.truncate(ListenerRecord::maxUserAgentLength);
    QMutexLocker lock(&m_mutex);
    if (m_queue.size() >= maxQueued) {
        ++m_dropped; // warned about on the main thread, not here on the network thread
        return;
    }
    m_queue.append(std::move(record));
}

qsizetype ListenerLog::queued() const
{
    QMutexLocker lock(&m_mutex);
    return m_queue.size();
}

qint64 ListenerLog::dropped() const
{
    QMutexLocker lock(&m_mutex);
    return m_dropped;
}

void ListenerLog::tick()
{
    const qint64 dropped = this->dropped();
    if (dropped > m_droppedWarned) {
        qCWarning(lcListenerLog) << dropped - m_droppedWarned
                                 << "listener records dropped: more than" << maxQueued
                                 << "waiting for the database";
        m_droppedWarned = dropped;
    }
    // One timed write at a time: a slow database is not handed more and more batches.
    if (m_writesRunning->load() == 0)
        flush();
}

void ListenerLog::flush()
{
    QList<ListenerRecord> records;
    {
        QMutexLocker lock(&m_mutex);
        records.swap(m_queue);
    }
    if (records.isEmpty() || !m_database)
        return;
    write(std::move(records));
}

void ListenerLog::write(QList<ListenerRecord> records)
{
    // The counter is shared with the job, not reached through `this`: a job may run after the
    // log is gone (the database drains its queue when it closes).
    m_writesRunning->fetch_add(1);
    m_database->run([records = std::move(records), running = m_writesRunning](QSqlDatabase &db) {
        try {
            StreamStore::addListenerVisits(db, records);
        } catch (const std::exception &error) {
            qCWarning(lcListenerLog)
                << records.size() << "listener records not written:" << error.what();
        }
        running->fetch_sub(1);
    });
}

void ListenerLog::purgeExpired(qint64 nowMs)
{
    if (m_retentionDays <= 0 || !m_database || m_purgeRunning->exchange(true))
        return;
    const qint64 beforeMs = nowMs - qint64(m_retentionDays) * 24 * 3600 * 1000;
    // Chunks, each its own statement: listener records keep being written between them.
    m_database->run(
        [beforeMs, running = m_purgeRunning](QSqlDatabase &db) {
            qint64 deleted = 0;
            try {
                for (;;) {
                    const int rows = StreamStore::purgeListenerVisits(db, beforeMs, purgeChunkRows);
                    deleted += rows;
                    if (rows < purgeChunkRows)
                        break;
                }
            } catch (const std::exception &error) {
                qCWarning(lcListenerLog) << "listener history not purged:" << error.what();
            }
            if (deleted > 0)
                qCInfo(lcListenerLog)
                    << deleted << "listener records older than"
                    << QDateTime::fromMSecsSinceEpoch(beforeMs, Qt::UTC).toString(Qt::ISODate)
                    << "deleted (LISTENER_HISTORY_DAYS)";
            running->store(false);
        });
}

} // namespace veza::streaming
