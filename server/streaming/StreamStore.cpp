#include "streaming/StreamStore.h"

#include "storage/Sql.h"
#include "storage/StorageError.h"
#include "storage/Transaction.h"
#include "streaming/ListenerLog.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace veza::streaming {

namespace sql = storage::sql;

namespace {

// A null QString binds as SQL NULL, which the NOT NULL text columns reject; "" is meant.
QString notNull(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

// Columns read by streamFrom(), in its order.
const QString kSelectStreams =
    QStringLiteral("SELECT s.id, s.name, s.owner_id, u.name, s.title, s.description, s.genre, "
                   "s.is_public, s.key_created_at, s.created_at, s.updated_at "
                   "FROM streams s JOIN users u ON u.id = s.owner_id "
                   "WHERE s.deleted_at IS NULL");

StreamInfo streamFrom(const QSqlQuery &q)
{
    StreamInfo s;
    s.id = q.value(0).toLongLong();
    s.name = q.value(1).toString();
    s.ownerId = q.value(2).toLongLong();
    s.ownerName = q.value(3).toString();
    s.title = q.value(4).toString();
    s.description = q.value(5).toString();
    s.genre = q.value(6).toString();
    s.isPublic = q.value(7).toBool();
    s.keyCreatedAtMs = q.value(8).toLongLong();
    s.createdAtMs = q.value(9).toLongLong();
    s.updatedAtMs = q.value(10).toLongLong();
    return s;
}

} // namespace

std::optional<StreamInfo> StreamStore::create(QSqlDatabase &db, const NewStream &stream,
                                              const QByteArray &keyHash, qint64 nowMs)
{
    // The conflict target names the partial unique index: only streams not deleted collide.
    sql::Query q = sql::exec(
        db,
        QStringLiteral("INSERT INTO streams (name, owner_id, title, description, genre, "
                       "is_public, key_hash, key_created_at, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (name) WHERE deleted_at IS NULL DO NOTHING RETURNING id"),
        {notNull(stream.name), stream.ownerId, notNull(stream.title), notNull(stream.description),
         notNull(stream.genre), stream.isPublic, QString::fromLatin1(keyHash), nowMs, nowMs,
         nowMs});
    if (!q.next())
        return std::nullopt;
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    sql::Query read = sql::exec(db, kSelectStreams + QStringLiteral(" AND s.id = ?"), {id});
    if (!read.next())
        return std::nullopt;
    return streamFrom(read.query());
}

int StreamStore::countOwned(QSqlDatabase &db, qint64 ownerId)
{
    sql::Query q = sql::exec(
        db,
        QStringLiteral("SELECT count(*) FROM streams WHERE owner_id = ? AND deleted_at IS NULL"),
        {ownerId});
    return q.next() ? q.value(0).toInt() : 0;
}

std::optional<StreamInfo> StreamStore::find(QSqlDatabase &db, const QString &name)
{
    sql::Query q = sql::exec(db, kSelectStreams + QStringLiteral(" AND s.name = ?"), {name});
    if (!q.next())
        return std::nullopt;
    return streamFrom(q.query());
}

QList<StreamInfo> StreamStore::list(QSqlDatabase &db, const StreamFilter &filter)
{
    QString statement = kSelectStreams;
    QVariantList values;
    if (filter.ownerId) {
        statement += QStringLiteral(" AND s.owner_id = ?");
        values << *filter.ownerId;
    }
    if (filter.publicOnly && filter.orOwnedBy) {
        statement += QStringLiteral(" AND (s.is_public = TRUE OR s.owner_id = ?)");
        values << *filter.orOwnedBy;
    } else if (filter.publicOnly) {
        statement += QStringLiteral(" AND s.is_public = TRUE");
    }
    statement += QStringLiteral(" ORDER BY s.name");
    sql::Query q = sql::exec(db, statement, values);
    QList<StreamInfo> result;
    while (q.next())
        result << streamFrom(q.query());
    return result;
}

std::optional<QByteArray> StreamStore::keyHash(QSqlDatabase &db, const QString &name)
{
    const QVariant hash = sql::scalar(
        db, QStringLiteral("SELECT key_hash FROM streams WHERE name = ? AND deleted_at IS NULL"),
        {name});
    if (!hash.isValid() || hash.isNull())
        return std::nullopt;
    return hash.toString().toLatin1();
}

bool StreamStore::describe(QSqlDatabase &db, qint64 streamId, const StreamInfo &stream,
                           qint64 nowMs)
{
    const auto text = [](const QString &value) {
        return value.isNull() ? QStringLiteral("") : value;
    };
    sql::Query q = sql::exec(db,
                             QStringLiteral("UPDATE streams SET title = ?, description = ?, "
                                            "genre = ?, is_public = ?, updated_at = ? "
                                            "WHERE id = ? AND deleted_at IS NULL"),
                             {text(stream.title), text(stream.description), text(stream.genre),
                              stream.isPublic, nowMs, streamId});
    return q.numRowsAffected() > 0;
}

bool StreamStore::rotateKey(QSqlDatabase &db, qint64 streamId, const QByteArray &keyHash,
                            qint64 nowMs)
{
    sql::Query q = sql::exec(db,
                             QStringLiteral("UPDATE streams SET key_hash = ?, key_created_at = ?, "
                                            "updated_at = ? WHERE id = ? AND deleted_at IS NULL"),
                             {QString::fromLatin1(keyHash), nowMs, nowMs, streamId});
    return q.numRowsAffected() > 0;
}

QJsonObject StreamStore::effects(QSqlDatabase &db, qint64 streamId)
{
    const QVariant stored = sql::scalar(
        db, QStringLiteral("SELECT effects FROM streams WHERE id = ? AND deleted_at IS NULL"),
        {streamId}, QString());
    return QJsonDocument::fromJson(stored.toString().toUtf8()).object();
}

bool StreamStore::saveEffects(QSqlDatabase &db, qint64 streamId, const QJsonObject &effects,
                              qint64 nowMs)
{
    sql::Query q =
        sql::exec(db,
                  QStringLiteral("UPDATE streams SET effects = ?, updated_at = ? WHERE id = ? AND "
                                 "deleted_at IS NULL"),
                  {QString::fromUtf8(QJsonDocument(effects).toJson(QJsonDocument::Compact)), nowMs,
                   streamId});
    return q.numRowsAffected() > 0;
}

bool StreamStore::remove(QSqlDatabase &db, qint64 streamId, qint64 nowMs)
{
    storage::Transaction transaction(db);
    sql::Query q = sql::exec(db,
                             QStringLiteral("UPDATE streams SET deleted_at = ?, updated_at = ? "
                                            "WHERE id = ? AND deleted_at IS NULL"),
                             {nowMs, nowMs, streamId});
    if (q.numRowsAffected() <= 0)
        return false;
    sql::exec(db,
              QStringLiteral("UPDATE stream_sessions SET ended_at = ?, end_reason = ? "
                             "WHERE stream_id = ? AND ended_at IS NULL"),
              {nowMs, streamEndReasonText(StreamEndReason::Deleted), streamId});
    transaction.commit();
    return true;
}

qint64 StreamStore::startSession(QSqlDatabase &db, qint64 streamId, qint64 nowMs)
{
    storage::Transaction transaction(db);
    sql::exec(db,
              QStringLiteral("UPDATE stream_sessions SET ended_at = ?, end_reason = ? "
                             "WHERE stream_id = ? AND ended_at IS NULL"),
              {nowMs, QStringLiteral("interrupted"), streamId});
    const qint64 id = sql::scalar(db,
                                  QStringLiteral("INSERT INTO stream_sessions (stream_id, "
                                                 "started_at) VALUES (?, ?) RETURNING id"),
                                  {streamId, nowMs})
                          .toLongLong();
    transaction.commit();
    return id;
}

bool StreamStore::endSession(QSqlDatabase &db, qint64 sessionId, qint64 nowMs, int peakListeners,
                             qint64 bytesIn, qint64 bytesOut, StreamEndReason reason)
{
    sql::Query q = sql::exec(
        db,
        QStringLiteral("UPDATE stream_sessions SET ended_at = ?, "
                       "peak_listeners = ?, bytes_in = ?, bytes_out = ?, "
                       "end_reason = ? WHERE id = ? AND ended_at IS NULL"),
        {nowMs, peakListeners, bytesIn, bytesOut, streamEndReasonText(reason), sessionId});
    return q.numRowsAffected() > 0;
}

QList<StreamSession> StreamStore::sessions(QSqlDatabase &db, qint64 streamId, int limit)
{
    sql::Query q = sql::exec(db,
                             QStringLiteral("SELECT id, stream_id, started_at, ended_at, "
                                            "peak_listeners, bytes_in, bytes_out, end_reason "
                                            "FROM stream_sessions WHERE stream_id = ? "
                                            "ORDER BY started_at DESC, id DESC LIMIT ?"),
                             {streamId, qBound(1, limit, 1000)});
    QList<StreamSession> result;
    while (q.next()) {
        StreamSession s;
        s.id = q.value(0).toLongLong();
        s.streamId = q.value(1).toLongLong();
        s.startedAtMs = q.value(2).toLongLong();
        if (!q.value(3).isNull())
            s.endedAtMs = q.value(3).toLongLong();
        s.peakListeners = q.value(4).toInt();
        s.bytesIn = q.value(5).toLongLong();
        s.bytesOut = q.value(6).toLongLong();
        s.endReason = q.value(7).toString();
        result << s;
    }
    return result;
}

int StreamStore::addListenerVisits(QSqlDatabase &db, const QList<ListenerRecord> &records)
{
    if (records.isEmpty())
        return 0;
    // INSERT ... SELECT FROM streams: a record of a stream that is gone inserts nothing rather
    // than failing the batch on the foreign key. The casts give PostgreSQL the parameters'
    // types, which it cannot infer in a select list.
    static const QString statement = QStringLiteral(
        "INSERT INTO listener_sessions (stream_id, stream_session_id, kind, rendition, "
        "connected_at, ended_at, bytes_sent, user_agent, address, end_reason) "
        "SELECT s.id, (SELECT ss.id FROM stream_sessions ss WHERE ss.stream_id = s.id "
        "AND ss.started_at <= ? AND (ss.ended_at IS NULL OR ss.ended_at >= ?) "
        "ORDER BY ss.started_at DESC, ss.id DESC LIMIT 1), "
        "CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), "
        "CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT) "
        "FROM streams s WHERE s.id = ?");
    storage::Transaction transaction(db);
    QSqlQuery q(db);
    if (!q.prepare(statement))
        throw storage::StorageError(QStringLiteral("prepare failed"), q.lastError());
    int written = 0;
    for (const ListenerRecord &r : records) {
        const QVariantList values = {r.connectedAtMs,
                                     r.connectedAtMs,
                                     listenerKindText(r.kind),
                                     notNull(r.rendition),
                                     r.connectedAtMs,
                                     r.endedAtMs,
                                     r.bytes,
                                     notNull(r.userAgent.left(ListenerRecord::maxUserAgentLength)),
                                     notNull(r.address),
                                     listenerEndReasonText(r.endReason),
                                     r.streamId};
        for (int i = 0; i < values.size(); ++i)
            q.bindValue(i, values.at(i));
        if (!q.exec())
            throw storage::StorageError(QStringLiteral("query failed"), q.lastError());
        written += q.numRowsAffected() > 0 ? 1 : 0;
    }
    q.finish();
    transaction.commit();
    return written;
}

QList<ListenerVisit> StreamStore::listenerVisits(QSqlDatabase &db, qint64 streamId, int limit,
                                                 std::optional<qint64> beforeId)
{
    // Newest first by connection time, then id: the page after a row is read from the row's
    // own (connected_at, id), which the index on (stream_id, connected_at) serves.
    QString statement = QStringLiteral(
        "SELECT id, stream_id, stream_session_id, kind, rendition, connected_at, ended_at, "
        "bytes_sent, user_agent, address, end_reason FROM listener_sessions "
        "WHERE stream_id = ?");
    QVariantList values{streamId};
    if (beforeId) {
        const QVariant cursor = sql::scalar(
            db,
            QStringLiteral(
                "SELECT connected_at FROM listener_sessions WHERE id = ? AND stream_id = ?"),
            {*beforeId, streamId});
        if (!cursor.isValid() || cursor.isNull())
            return {};
        statement += QStringLiteral(" AND (connected_at < ? OR (connected_at = ? AND id < ?))");
        values << cursor.toLongLong() << cursor.toLongLong() << *beforeId;
    }
    statement += QStringLiteral(" ORDER BY connected_at DESC, id DESC LIMIT ?");
    values << qBound(1, limit, 1000);
    sql::Query q = sql::exec(db, statement, values);
    QList<ListenerVisit> result;
    while (q.next()) {
        ListenerVisit v;
        v.id = q.value(0).toLongLong();
        v.streamId = q.value(1).toLongLong();
        if (!q.value(2).isNull())
            v.streamSessionId = q.value(2).toLongLong();
        v.kind = q.value(3).toString();
        v.rendition = q.value(4).toString();
        v.connectedAtMs = q.value(5).toLongLong();
        v.endedAtMs = q.value(6).toLongLong();
        v.bytes = q.value(7).toLongLong();
        v.userAgent = q.value(8).toString();
        v.address = q.value(9).toString();
        v.endReason = q.value(10).toString();
        result << v;
    }
    return result;
}

int StreamStore::purgeListenerVisits(QSqlDatabase &db, qint64 beforeMs, int maxRows)
{
    // A sub-select with LIMIT: both SQLite (without its optional DELETE ... LIMIT) and
    // PostgreSQL take it, and idx_listener_sessions_connected serves it.
    sql::Query q = sql::exec(db,
                             QStringLiteral("DELETE FROM listener_sessions WHERE id IN (SELECT id "
                                            "FROM listener_sessions WHERE connected_at < ? "
                                            "ORDER BY connected_at LIMIT ?)"),
                             {beforeMs, qMax(1, maxRows)});
    return q.numRowsAffected();
}

} // namespace veza::streaming
