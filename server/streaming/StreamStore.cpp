#include "streaming/StreamStore.h"

#include "storage/Sql.h"
#include "storage/Transaction.h"

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
    QSqlQuery q = sql::exec(
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
    QSqlQuery read = sql::exec(db, kSelectStreams + QStringLiteral(" AND s.id = ?"), {id});
    if (!read.next())
        return std::nullopt;
    return streamFrom(read);
}

std::optional<StreamInfo> StreamStore::find(QSqlDatabase &db, const QString &name)
{
    QSqlQuery q = sql::exec(db, kSelectStreams + QStringLiteral(" AND s.name = ?"), {name});
    if (!q.next())
        return std::nullopt;
    return streamFrom(q);
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
    QSqlQuery q = sql::exec(db, statement, values);
    QList<StreamInfo> result;
    while (q.next())
        result << streamFrom(q);
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

bool StreamStore::rotateKey(QSqlDatabase &db, qint64 streamId, const QByteArray &keyHash,
                            qint64 nowMs)
{
    QSqlQuery q = sql::exec(db,
                            QStringLiteral("UPDATE streams SET key_hash = ?, key_created_at = ?, "
                                           "updated_at = ? WHERE id = ? AND deleted_at IS NULL"),
                            {QString::fromLatin1(keyHash), nowMs, nowMs, streamId});
    return q.numRowsAffected() > 0;
}

bool StreamStore::remove(QSqlDatabase &db, qint64 streamId, qint64 nowMs)
{
    storage::Transaction transaction(db);
    QSqlQuery q = sql::exec(db,
                            QStringLiteral("UPDATE streams SET deleted_at = ?, updated_at = ? "
                                           "WHERE id = ? AND deleted_at IS NULL"),
                            {nowMs, nowMs, streamId});
    if (q.numRowsAffected() <= 0)
        return false;
    sql::exec(db,
              QStringLiteral("UPDATE stream_sessions SET ended_at = ? "
                             "WHERE stream_id = ? AND ended_at IS NULL"),
              {nowMs, streamId});
    transaction.commit();
    return true;
}

qint64 StreamStore::startSession(QSqlDatabase &db, qint64 streamId, qint64 nowMs)
{
    storage::Transaction transaction(db);
    sql::exec(db,
              QStringLiteral("UPDATE stream_sessions SET ended_at = ? "
                             "WHERE stream_id = ? AND ended_at IS NULL"),
              {nowMs, streamId});
    const qint64 id = sql::scalar(db,
                                  QStringLiteral("INSERT INTO stream_sessions (stream_id, "
                                                 "started_at) VALUES (?, ?) RETURNING id"),
                                  {streamId, nowMs})
                          .toLongLong();
    transaction.commit();
    return id;
}

bool StreamStore::endSession(QSqlDatabase &db, qint64 sessionId, qint64 nowMs, int peakListeners,
                             qint64 bytesIn, qint64 bytesOut)
{
    QSqlQuery q = sql::exec(db,
                            QStringLiteral("UPDATE stream_sessions SET ended_at = ?, "
                                           "peak_listeners = ?, bytes_in = ?, bytes_out = ? "
                                           "WHERE id = ? AND ended_at IS NULL"),
                            {nowMs, peakListeners, bytesIn, bytesOut, sessionId});
    return q.numRowsAffected() > 0;
}

QList<StreamSession> StreamStore::sessions(QSqlDatabase &db, qint64 streamId, int limit)
{
    QSqlQuery q = sql::exec(db,
                            QStringLiteral("SELECT id, stream_id, started_at, ended_at, "
                                           "peak_listeners, bytes_in, bytes_out "
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
        result << s;
    }
    return result;
}

} // namespace veza::streaming
