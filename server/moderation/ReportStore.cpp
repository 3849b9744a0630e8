#include "moderation/ReportStore.h"

#include "crypto/MessageCipher.h"
#include "storage/Sql.h"

#include <QSqlQuery>
#include <QVariantList>
#include <algorithm>

namespace veza::moderation {

namespace sql = storage::sql;

namespace {

const QString kColumns = QStringLiteral(
    "r.id, r.source, rp.name, rm.name, r.room_id, r.seq, au.name, r.reason, r.details, "
    "r.content_kind, r.body, r.key_id, r.nonce, r.created_at, r.status, r.outcome, r.note, "
    "rv.name, r.resolved_at FROM reports r JOIN rooms rm ON rm.id = r.room_id "
    "LEFT JOIN users rp ON rp.id = r.reporter_id LEFT JOIN users au ON au.id = r.author_id "
    "LEFT JOIN users rv ON rv.id = r.resolved_by");

Report reportFrom(const QSqlQuery &q, const crypto::MessageCipher &cipher)
{
    Report report;
    report.id = q.value(0).toLongLong();
    report.source = q.value(1).toString();
    report.reporter = q.value(2).toString();
    report.room = q.value(3).toString();
    report.roomId = q.value(4).toLongLong();
    report.messageId = q.value(5).toLongLong();
    report.author = q.value(6).toString();
    report.reason = q.value(7).toString();
    report.details = q.value(8).toString();
    if (q.value(9).toString() == u"text") {
        const crypto::MessageCipher::Sealed sealed{
            q.value(11).toString(), q.value(12).toByteArray(), q.value(10).toByteArray()};
        // Sealed with the message's own associated data: the room and its seq.
        crypto::MessageCipher::Error error = crypto::MessageCipher::Error::Internal;
        if (const auto plain = cipher.decrypt(
                sealed,
                crypto::MessageCipher::messageAssociatedData(report.roomId, report.messageId),
                &error))
            report.body = QString::fromUtf8(*plain);
        else
            report.bodyError = crypto::MessageCipher::errorName(error);
    }
    report.createdAtMs = q.value(13).toLongLong();
    report.open = q.value(14).toString() == u"open";
    report.outcome = q.value(15).toString();
    report.note = q.value(16).toString();
    report.resolvedBy = q.value(17).toString();
    if (!q.isNull(18))
        report.resolvedAtMs = q.value(18).toLongLong();
    return report;
}

} // namespace

const QStringList &reportReasons()
{
    static const QStringList reasons{QStringLiteral("spam"),   QStringLiteral("harassment"),
                                     QStringLiteral("hate"),   QStringLiteral("violence"),
                                     QStringLiteral("sexual"), QStringLiteral("self_harm"),
                                     QStringLiteral("other")};
    return reasons;
}

std::optional<qint64> ReportStore::file(QSqlDatabase &db, qint64 reporterId, qint64 roomId,
                                        qint64 seq, const QString &reason, const QString &details,
                                        qint64 nowMs)
{
    const QVariant id = sql::scalar(
        db,
        QStringLiteral("INSERT INTO reports (reporter_id, room_id, seq, author_id, reason, "
                       "details, content_kind, body, key_id, nonce, created_at) "
                       "SELECT ?, room_id, seq, sender_id, ?, ?, content_kind, body, key_id, "
                       "nonce, ? FROM messages WHERE room_id = ? AND seq = ? "
                       "AND deleted_at IS NULL RETURNING id"),
        // A null QString binds as NULL: an absent text is stored empty.
        {reporterId, reason, details.isNull() ? QStringLiteral("") : details, nowMs, roomId, seq});
    return id.isValid() ? std::optional(id.toLongLong()) : std::nullopt;
}

QList<Report> ReportStore::list(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                const ReportQuery &query)
{
    QString statement = QStringLiteral("SELECT ") + kColumns + QStringLiteral(" WHERE 1 = 1");
    QVariantList values;
    if (query.open) {
        statement += QStringLiteral(" AND r.status = ?");
        values << (*query.open ? QStringLiteral("open") : QStringLiteral("resolved"));
    }
    if (query.roomId) {
        statement += QStringLiteral(" AND r.room_id = ?");
        values << *query.roomId;
    }
    if (query.rooms) {
        if (query.rooms->isEmpty())
            return {};
        QStringList marks;
        for (qint64 room : *query.rooms) {
            marks << QStringLiteral("?");
            values << room;
        }
        statement += QStringLiteral(" AND r.room_id IN (") + marks.join(u',') + u')';
    }
    if (query.beforeId) {
        statement += QStringLiteral(" AND r.id < ?");
        values << *query.beforeId;
    }
    statement += QStringLiteral(" ORDER BY r.id DESC LIMIT ?");
    values << std::clamp(query.limit, 1, 201);
    QList<Report> reports;
    sql::Query rows = sql::exec(db, statement, values);
    while (rows.next())
        reports.append(reportFrom(rows.query(), cipher));
    return reports;
}

std::optional<Report> ReportStore::find(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                        qint64 id)
{
    sql::Query row = sql::exec(
        db, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" WHERE r.id = ?"), {id});
    if (!row.next())
        return std::nullopt;
    return reportFrom(row.query(), cipher);
}

bool ReportStore::resolve(QSqlDatabase &db, qint64 id, const QString &outcome, const QString &note,
                          qint64 resolverId, qint64 nowMs)
{
    const sql::Query update = sql::exec(
        db,
        QStringLiteral("UPDATE reports SET status = 'resolved', outcome = ?, note = ?, "
                       "resolved_by = ?, resolved_at = ? WHERE id = ? AND status = 'open'"),
        {outcome, note.isNull() ? QStringLiteral("") : note, resolverId, nowMs, id});
    return update.numRowsAffected() > 0;
}

QHash<qint64, int> ReportStore::openCounts(QSqlDatabase &db, const QList<qint64> &roomIds)
{
    QHash<qint64, int> counts;
    if (roomIds.isEmpty())
        return counts;
    QStringList marks;
    QVariantList values;
    for (qint64 room : roomIds) {
        marks << QStringLiteral("?");
        values << room;
    }
    sql::Query rows = sql::exec(db,
                                QStringLiteral("SELECT room_id, COUNT(*) FROM reports WHERE "
                                               "status = 'open' AND room_id IN (") +
                                    marks.join(u',') + QStringLiteral(") GROUP BY room_id"),
                                values);
    while (rows.next())
        counts.insert(rows.value(0).toLongLong(), rows.value(1).toInt());
    return counts;
}

qint64 ReportStore::openCount(QSqlDatabase &db)
{
    return sql::scalar(db, QStringLiteral("SELECT COUNT(*) FROM reports WHERE status = 'open'"))
        .toLongLong();
}

} // namespace veza::moderation
