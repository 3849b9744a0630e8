#include "chat/SendBatchPostgres.h"

#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/SendAccess.h"
#include "chat/SendMemory.h"
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

// The messages, each room's last_seq moved from the value the batch planned with, and the
// senders' last_sent_at, never moved back; returns each message's seq and its room as written.
// It checks every rule again, for the plan may come from SendMemory rather than a read: a room
// is written only if all its sends pass (member, no sanction in force, not a stored retry; the
// room still of that name, at that last_seq, not locked, no plaintext if end-to-end, no slow
// mode unless every sender is exempt), else it writes nothing and its sends go the careful way.
// The room conditions sit in the UPDATE, which PostgreSQL evaluates again on the row's newest
// version if another writer changed it meanwhile. The per-send look-ups sit in a LATERAL
// subquery that OFFSET 0 keeps apart, so that each is an index look-up for its send: in the
// select list of `batch` (100 rows to the planner, json_to_recordset's guess) PostgreSQL made
// them hashed subplans, a scan of all of room_members per batch (5 ms a statement at 10,000
// members). Rooms are found by `id = ANY (ARRAY(...))`.
QString writeStatement()
{
    return QStringLiteral(
               "WITH batch AS (SELECT * FROM json_to_recordset(?::json) AS x(room_id bigint, "
               "room text, seq bigint, sender_id bigint, client_msg_id text, plaintext boolean, "
               "exempt boolean, content_kind text, body text, key_id text, nonce text, "
               "algorithm text, sender_device text, created_at bigint)), "
               "checked AS (SELECT b.room_id, b.room, b.seq, b.plaintext, c.allowed, c.unslowed "
               "FROM batch b CROSS JOIN LATERAL (SELECT "
               "EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = b.room_id "
               "AND m.user_id = b.sender_id) "
               "AND NOT EXISTS (SELECT 1 FROM sanctions s WHERE s.user_id = b.sender_id "
               "AND COALESCE(s.room_id, 0) IN (b.room_id, 0) "
               "AND (s.until_ms IS NULL OR s.until_ms > ?)) "
               "AND NOT EXISTS (SELECT 1 FROM messages d WHERE d.room_id = b.room_id "
               "AND d.sender_id = b.sender_id AND d.client_msg_id = b.client_msg_id) AS allowed, "
               "b.exempt OR EXISTS (SELECT 1 FROM room_moderators g WHERE g.room_id = b.room_id "
               "AND g.user_id = b.sender_id) AS unslowed OFFSET 0) c), "
               "moves AS (SELECT room_id, min(room) AS room, min(seq) - 1 AS expected, "
               "max(seq) AS last_seq, bool_or(plaintext) AS plaintext, "
               "bool_and(unslowed) AS unslowed FROM checked GROUP BY room_id "
               "HAVING bool_and(allowed)), "
               "written AS (UPDATE rooms r SET last_seq = w.last_seq FROM moves w "
               "WHERE r.id = ANY (ARRAY(SELECT room_id FROM moves)) AND r.id = w.room_id "
               "AND r.last_seq = w.expected AND r.name = w.room AND NOT r.locked "
               "AND NOT (r.e2e AND w.plaintext) AND (r.slow_mode_s <= 0 OR w.unslowed) "
               "RETURNING ") +
           ChatRooms::RoomColumns +
           QStringLiteral(
               "), "
               "turns AS (UPDATE room_members m SET last_sent_at = ? FROM (SELECT DISTINCT "
               "room_id, sender_id FROM batch WHERE room_id IN (SELECT id FROM written)) t "
               "WHERE m.room_id = t.room_id AND m.user_id = t.sender_id "
               "AND (m.last_sent_at IS NULL OR m.last_sent_at < ?)), "
               "inserted AS (INSERT INTO messages (room_id, seq, sender_id, client_msg_id, "
               "content_kind, body, key_id, nonce, algorithm, sender_device, created_at) "
               "SELECT room_id, seq, sender_id, client_msg_id, content_kind, "
               "decode(body, 'base64'), key_id, decode(nonce, 'base64'), algorithm, "
               "sender_device, created_at FROM batch WHERE room_id IN (SELECT id FROM written) "
               "RETURNING room_id, seq) "
               "SELECT ") +
           ChatRooms::RoomColumns +
           QStringLiteral(", i.seq FROM inserted i JOIN written r ON r.id = i.room_id");
}
constexpr int kWrittenSeqColumn = 8; // after the room's columns

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

// What the batch plans a send with: read for this batch, or recalled from SendMemory.
struct Known
{
    SendAccess access;
    bool storedRetry = false; // read only; the write checks it either way
    qint64 lastCreatedAtMs = 0;
};

// Fills `known` with what the memory knows, and returns the sends to read: those of every room
// where the memory misses one send's room or sender, or remembers something that would refuse
// or slow it (which only a fresh read may settle). A room's sends are planned from one source,
// so that their seqs follow one another.
QList<qsizetype> recallOrRead(const SendMemory &memory, const QList<SendRequest> &requests,
                              QList<Known> &known)
{
    QSet<QString> roomsToRead;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const std::optional<SendMemory::Recalled> recalled =
            memory.recall(requests[i].roomName, requests[i].message.senderId);
        if (recalled && !refusalOf(recalled->access, requests[i]) &&
            slowModeIntervalMs(recalled->access, requests[i]) == 0)
            known[i] = {recalled->access, false, recalled->lastCreatedAtMs};
        else
            roomsToRead.insert(requests[i].roomName);
    }
    QList<qsizetype> toRead;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        if (roomsToRead.contains(requests[i].roomName))
            toRead.append(i);
    }
    return toRead;
}

// One statement for the sends at `indices`, whatever their number; the memory learns from it.
void readAccess(QSqlDatabase &db, const QList<SendRequest> &requests,
                const QList<qsizetype> &indices, qint64 nowMs, QList<Known> &known,
                SendMemory &memory)
{
    QJsonArray sends;
    for (const qsizetype i : indices) {
        const NewMessage &message = requests[i].message;
        known[i] = {};
        sends.append(
            QJsonObject{{QStringLiteral("i"), int(i)},
                        {QStringLiteral("room"), requests[i].roomName},
                        {QStringLiteral("user_id"), idJson(message.senderId)},
                        {QStringLiteral("client_msg_id"), message.clientMsgId.isEmpty()
                                                              ? QJsonValue(QJsonValue::Null)
                                                              : QJsonValue(message.clientMsgId)}});
    }
    static const QString statement = readAccessStatement();
    sql::Query q =
        sql::exec(db, statement,
                  {QString::fromUtf8(QJsonDocument(sends).toJson(QJsonDocument::Compact)), nowMs});
    while (q.next()) {
        const qsizetype i = q.value(kIndexColumn).toInt();
        if (i < 0 || i >= known.size())
            continue;
        known[i].access.addRow(q.query());
        known[i].storedRetry = q.value(kStoredRetryColumn).toBool();
        known[i].lastCreatedAtMs = q.value(kLastCreatedAtColumn).toLongLong();
    }
    // Only what lets a send through: a refusal would be read again anyway, and senders who are
    // refused (not members, say) must not fill the memory.
    for (const qsizetype i : indices) {
        if (!refusalOf(known[i].access, requests[i]))
            memory.remember(known[i].access, requests[i].message.senderId,
                            known[i].lastCreatedAtMs);
    }
}

// Where a room's next message goes, as planned; blocked once one of its sends is left.
struct RoomCursor
{
    QString name;
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

QList<std::optional<SendOutcome>>
SendBatchPostgres::store(QSqlDatabase &db, const crypto::MessageCipher &cipher, SendMemory &memory,
                         const QList<SendRequest> &requests, qint64 nowMs)
{
    QList<std::optional<SendOutcome>> outcomes(requests.size());
    QList<Known> known(requests.size());
    const QList<qsizetype> toRead = recallOrRead(memory, requests, known);
    if (!toRead.isEmpty()) {
        try {
            readAccess(db, requests, toRead, nowMs, known, memory);
        } catch (const std::exception &e) {
            qCInfo(storage::lcStorage)
                << "a batch of" << requests.size() << "messages goes the careful way:" << e.what();
            return outcomes;
        }
    }

    QHash<qint64, RoomCursor> rooms;
    QSet<QString> retryKeys; // room, sender, client_msg_id of this batch's sends
    QList<Planned> planned;
    QJsonArray messages;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const SendRequest &request = requests[i];
        const SendAccess &access = known[i].access;
        // Only a read's access can refuse: recalled sends that would be refused are read.
        if (std::optional<SendOutcome> refused = refusalOf(access, request)) {
            outcomes[i] = std::move(refused);
            continue;
        }
        const RoomInfo &room = *access.room;
        const NewMessage &message = request.message;
        auto cursor = rooms.find(room.id);
        if (cursor == rooms.end())
            cursor = rooms.insert(room.id, {room.name, room.lastSeq + 1, known[i].lastCreatedAtMs});
        const QString retryKey =
            QStringLiteral("%1/%2/%3").arg(room.id).arg(message.senderId).arg(message.clientMsgId);
        const bool retry = !message.clientMsgId.isEmpty() &&
                           (known[i].storedRetry || retryKeys.contains(retryKey));
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
        QJsonObject row{
            {QStringLiteral("room_id"), idJson(room.id)},
            {QStringLiteral("room"), room.name},
            {QStringLiteral("seq"), idJson(seq)},
            {QStringLiteral("sender_id"), idJson(message.senderId)},
            {QStringLiteral("client_msg_id"),
             columnJson(message.clientMsgId.isEmpty() ? QVariant()
                                                      : QVariant(message.clientMsgId))},
            {QStringLiteral("plaintext"), request.e2eRequired && !message.content.e2e.has_value()},
            {QStringLiteral("exempt"), request.globalModerator},
            {QStringLiteral("created_at"), idJson(cursor->lastCreatedAtMs)}};
        static const char *const kContentColumns[] = {"content_kind", "body",      "key_id",
                                                      "nonce",        "algorithm", "sender_device"};
        for (qsizetype c = 0; c < content.size() && c < 6; ++c)
            row.insert(QLatin1String(kContentColumns[c]), columnJson(content[c]));
        messages.append(row);
        Planned plan;
        plan.request = i;
        plan.outcome.status = SendOutcome::Status::Stored;
        plan.outcome.stored = StoredMessage{seq, cursor->lastCreatedAtMs, false};
        planned.append(std::move(plan));
    }
    QHash<qint64, RoomInfo> written;         // by id, as written
    QSet<QPair<qint64, qint64>> writtenSeqs; // room, seq
    if (!planned.isEmpty()) {
        try {
            static const QString statement = writeStatement();
            sql::Query q = sql::exec(
                db, statement,
                {QString::fromUtf8(QJsonDocument(messages).toJson(QJsonDocument::Compact)), nowMs,
                 nowMs, nowMs});
            while (q.next()) {
                const RoomInfo room = ChatRooms::roomFromRow(q.query());
                written.insert(room.id, room);
                writtenSeqs.insert({room.id, q.value(kWrittenSeqColumn).toLongLong()});
            }
        } catch (const std::exception &e) {
            // Nothing of the statement was written: the careful way takes every send.
            qCInfo(storage::lcStorage)
                << "a batch of" << planned.size() << "messages goes the careful way:" << e.what();
            written.clear();
            writtenSeqs.clear();
        }
    }
    for (Planned &plan : planned) {
        const qint64 roomId = known[plan.request].access.room->id;
        if (!writtenSeqs.contains({roomId, plan.outcome.stored.seq}))
            continue;
        plan.outcome.room = written.value(roomId);
        outcomes[plan.request] = std::move(plan.outcome);
    }
    // The memory follows the rooms written in full. Any other the careful way may move, and
    // one of its senders may be why the write left it (a ban the memory did not know of): the
    // room and those senders are read again next time, so a refused sender's sends are settled
    // by the read instead of failing the room's write batch after batch.
    QSet<qint64> forgotten;
    for (auto cursor = rooms.cbegin(); cursor != rooms.cend(); ++cursor) {
        const auto room = written.constFind(cursor.key());
        if (room != written.cend() && !cursor->blocked) {
            memory.written(*room, cursor->lastCreatedAtMs);
        } else {
            memory.forget(cursor->name);
            forgotten.insert(cursor.key());
        }
    }
    for (qsizetype i = 0; i < requests.size() && !forgotten.isEmpty(); ++i) {
        const std::optional<RoomInfo> &room = known[i].access.room;
        if (room && forgotten.contains(room->id))
            memory.forgetSender(room->id, requests[i].message.senderId);
    }
    return outcomes;
}

} // namespace veza::chat
