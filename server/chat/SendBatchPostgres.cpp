#include "chat/SendBatchPostgres.h"

#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/SendAccess.h"
#include "chat/SendRules.h"
#include "storage/Sql.h"
#include "storage/StorageLog.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <exception>

namespace veza::chat {

namespace sql = storage::sql;

namespace {

// SendAccess::read's columns for every send of the batch (the requests as one JSON parameter,
// so the statement is the same whatever the batch's size), then the request's index, whether
// its client_msg_id is stored already and the created_at of the room's last message. A
// function: ChatRooms::RoomColumns is another file's static.
QString readAccessStatement()
{
    // Each send's look-ups by index in a LATERAL subquery that OFFSET 0 keeps apart: joined
    // into one plan, the planner (which guesses 100 rows for json_to_recordset) hash-joined all
    // of rooms and room_members, and under 1,000 updates a second their dead row versions made
    // such a scan cost milliseconds.
    return QStringLiteral("SELECT ") + ChatRooms::RoomColumns +
           QStringLiteral(
               ", r.member, r.moderator, s.kind, s.until_ms, s.room_id, q.i, r.stored_retry, "
               "r.last_created_at "
               "FROM json_to_recordset(?::json) AS q(i int, room text, user_id bigint, "
               "client_msg_id text) "
               "LEFT JOIN LATERAL (SELECT ") +
           ChatRooms::RoomColumns +
           QStringLiteral(
               ", EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id "
               "AND m.user_id = q.user_id) AS member, "
               "EXISTS (SELECT 1 FROM room_moderators g WHERE g.room_id = r.id "
               "AND g.user_id = q.user_id) AS moderator, "
               "EXISTS (SELECT 1 FROM messages d WHERE d.room_id = r.id "
               "AND d.sender_id = q.user_id AND d.client_msg_id = q.client_msg_id) "
               "AS stored_retry, "
               "(SELECT p.created_at FROM messages p WHERE p.room_id = r.id "
               "AND p.seq = r.last_seq) AS last_created_at "
               "FROM rooms r WHERE r.name = q.room OFFSET 0) r ON true "
               "LEFT JOIN LATERAL (SELECT s.kind, s.until_ms, s.room_id FROM sanctions s "
               "WHERE s.user_id = q.user_id AND COALESCE(s.room_id, 0) IN (r.id, 0) "
               "AND (s.until_ms IS NULL OR s.until_ms > ?) OFFSET 0) s ON true "
               "ORDER BY q.i");
}
constexpr int kIndexColumn = 13;
constexpr int kStoredRetryColumn = 14;
constexpr int kLastCreatedAtColumn = 15;

// The messages, each room's last_seq moved from the value read (and only then: a room another
// writer moved in between writes nothing), and the senders' last_sent_at, never moved back.
// Rooms are found by `id = ANY (ARRAY(...))`, an index look-up, not a hash join over the table.
const QString kWrite = QStringLiteral(
    "WITH batch AS (SELECT * FROM json_to_recordset(?::json) AS x(room_id bigint, seq bigint, "
    "sender_id bigint, client_msg_id text, content_kind text, body text, key_id text, "
    "nonce text, algorithm text, sender_device text, created_at bigint)), "
    "moves AS (SELECT room_id, min(seq) - 1 AS expected, max(seq) AS last_seq FROM batch "
    "GROUP BY room_id), "
    "written AS (UPDATE rooms r SET last_seq = w.last_seq FROM moves w "
    "WHERE r.id = ANY (ARRAY(SELECT room_id FROM moves)) AND r.id = w.room_id "
    "AND r.last_seq = w.expected RETURNING r.id), "
    "turns AS (UPDATE room_members m SET last_sent_at = ? FROM (SELECT DISTINCT room_id, "
    "sender_id FROM batch WHERE room_id IN (SELECT id FROM written)) t "
    "WHERE m.room_id = t.room_id AND m.user_id = t.sender_id "
    "AND (m.last_sent_at IS NULL OR m.last_sent_at < ?)) "
    "INSERT INTO messages (room_id, seq, sender_id, client_msg_id, content_kind, body, key_id, "
    "nonce, algorithm, sender_device, created_at) "
    "SELECT room_id, seq, sender_id, client_msg_id, content_kind, decode(body, 'base64'), "
    "key_id, decode(nonce, 'base64'), algorithm, sender_device, created_at "
    "FROM batch WHERE room_id IN (SELECT id FROM written) RETURNING room_id, seq");

// Ids as strings: JSON numbers are doubles to Qt, PostgreSQL reads either into bigint.
QJsonValue idJson(qint64 value)
{
    return QString::number(value);
}

// A stored column's value: NULL, bytes as base64 (decoded by the statement), else text.
QJsonValue columnJson(const QVariant &value)
{
    if (value.isNull())
        return QJsonValue::Null;
    if (value.typeId() == QMetaType::QByteArray)
        return QString::fromLatin1(value.toByteArray().toBase64());
    return value.toString();
}

struct ReadAccess
{
    SendAccess access;
    bool storedRetry = false;
    qint64 lastCreatedAtMs = 0;
};

QList<ReadAccess> readAccess(QSqlDatabase &db, const QList<SendRequest> &requests, qint64 nowMs)
{
    QJsonArray sends;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const NewMessage &message = requests[i].message;
        sends.append(
            QJsonObject{{QStringLiteral("i"), int(i)},
                        {QStringLiteral("room"), requests[i].roomName},
                        {QStringLiteral("user_id"), idJson(message.senderId)},
                        {QStringLiteral("client_msg_id"), message.clientMsgId.isEmpty()
                                                              ? QJsonValue(QJsonValue::Null)
                                                              : QJsonValue(message.clientMsgId)}});
    }
    static const QString statement = readAccessStatement();
    QList<ReadAccess> read(requests.size());
    sql::Query q =
        sql::exec(db, statement,
                  {QString::fromUtf8(QJsonDocument(sends).toJson(QJsonDocument::Compact)), nowMs});
    while (q.next()) {
        const qsizetype i = q.value(kIndexColumn).toInt();
        if (i < 0 || i >= read.size())
            continue;
        read[i].access.addRow(q.query());
        read[i].storedRetry = q.value(kStoredRetryColumn).toBool();
        read[i].lastCreatedAtMs = q.value(kLastCreatedAtColumn).toLongLong();
    }
    return read;
}

// Where a room's next message goes, as read; blocked once one of its sends is left.
struct RoomCursor
{
    qint64 nextSeq = 1;
    qint64 lastCreatedAtMs = 0;
    bool blocked = false;
};

struct Planned
{
    qsizetype request = 0;
    SendOutcome outcome; // Stored, if the write takes it
};

} // namespace

bool SendBatchPostgres::appliesTo(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QPSQL");
}

QList<std::optional<SendOutcome>> SendBatchPostgres::store(QSqlDatabase &db,
                                                           const crypto::MessageCipher &cipher,
                                                           const QList<SendRequest> &requests,
                                                           qint64 nowMs)
{
    QList<std::optional<SendOutcome>> outcomes(requests.size());
    QList<ReadAccess> read;
    try {
        read = readAccess(db, requests, nowMs);
    } catch (const std::exception &e) {
        qCInfo(storage::lcStorage)
            << "a batch of" << requests.size() << "messages goes the careful way:" << e.what();
        return outcomes;
    }

    QHash<qint64, RoomCursor> rooms;
    QSet<QString> retryKeys; // room, sender, client_msg_id of this batch's sends
    QList<Planned> planned;
    QJsonArray messages;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const SendRequest &request = requests[i];
        const SendAccess &access = read[i].access;
        if (std::optional<SendOutcome> refused = refusalOf(access, request)) {
            outcomes[i] = std::move(refused);
            continue;
        }
        const RoomInfo &room = *access.room;
        const NewMessage &message = request.message;
        auto cursor = rooms.find(room.id);
        if (cursor == rooms.end())
            cursor = rooms.insert(room.id, {room.lastSeq + 1, read[i].lastCreatedAtMs, false});
        const QString retryKey =
            QStringLiteral("%1/%2/%3").arg(room.id).arg(message.senderId).arg(message.clientMsgId);
        const bool retry =
            !message.clientMsgId.isEmpty() && (read[i].storedRetry || retryKeys.contains(retryKey));
        if (cursor->blocked || retry || slowModeIntervalMs(access, request) > 0) {
            cursor->blocked = true;
            continue;
        }
        const qint64 seq = cursor->nextSeq;
        QVariantList content;
        try {
            content = ChatMessages::storedContent(cipher, room.id, seq, message.content);
        } catch (const std::exception &) {
            cursor->blocked = true; // the careful way fails it alone
            continue;
        }
        ++cursor->nextSeq;
        // created_at never goes back within a room: created_at order is seq order.
        cursor->lastCreatedAtMs = std::max(nowMs, cursor->lastCreatedAtMs);
        if (!message.clientMsgId.isEmpty())
            retryKeys.insert(retryKey);
        QJsonObject row{{QStringLiteral("room_id"), idJson(room.id)},
                        {QStringLiteral("seq"), idJson(seq)},
                        {QStringLiteral("sender_id"), idJson(message.senderId)},
                        {QStringLiteral("client_msg_id"),
                         columnJson(message.clientMsgId.isEmpty() ? QVariant()
                                                                  : QVariant(message.clientMsgId))},
                        {QStringLiteral("created_at"), idJson(cursor->lastCreatedAtMs)}};
        static const char *const kContentColumns[] = {"content_kind", "body",      "key_id",
                                                      "nonce",        "algorithm", "sender_device"};
        for (qsizetype c = 0; c < content.size() && c < 6; ++c)
            row.insert(QLatin1String(kContentColumns[c]), columnJson(content[c]));
        messages.append(row);
        Planned plan;
        plan.request = i;
        plan.outcome.status = SendOutcome::Status::Stored;
        plan.outcome.room = room;
        plan.outcome.stored = StoredMessage{seq, cursor->lastCreatedAtMs, false};
        planned.append(std::move(plan));
    }
    if (planned.isEmpty())
        return outcomes;

    QSet<QPair<qint64, qint64>> written; // room, seq
    try {
        sql::Query q =
            sql::exec(db, kWrite,
                      {QString::fromUtf8(QJsonDocument(messages).toJson(QJsonDocument::Compact)),
                       nowMs, nowMs});
        while (q.next())
            written.insert({q.value(0).toLongLong(), q.value(1).toLongLong()});
    } catch (const std::exception &e) {
        // Nothing of the statement was written: the careful way takes every send.
        qCInfo(storage::lcStorage)
            << "a batch of" << planned.size() << "messages goes the careful way:" << e.what();
        return outcomes;
    }
    for (Planned &plan : planned) {
        if (written.contains({plan.outcome.room.id, plan.outcome.stored.seq}))
            outcomes[plan.request] = std::move(plan.outcome);
    }
    return outcomes;
}

} // namespace veza::chat
