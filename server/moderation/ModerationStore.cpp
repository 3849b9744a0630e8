#include "moderation/ModerationStore.h"

#include "storage/Sql.h"
#include "storage/Transaction.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QStringList>
#include <QVariantList>
#include <algorithm>
#include <array>
#include <tuple>

namespace veza::moderation {

namespace sql = storage::sql;

namespace {

constexpr std::array<std::pair<ModerationActionType, const char *>, 16> actionNames{{
    {ModerationActionType::Delete, "delete"},
    {ModerationActionType::Timeout, "timeout"},
    {ModerationActionType::Ban, "ban"},
    {ModerationActionType::Unban, "unban"},
    {ModerationActionType::SlowMode, "slow_mode"},
    {ModerationActionType::Lock, "lock"},
    {ModerationActionType::Unlock, "unlock"},
    {ModerationActionType::Purge, "purge"},
    {ModerationActionType::Grant, "grant"},
    {ModerationActionType::Revoke, "revoke"},
    {ModerationActionType::View, "view"},
    {ModerationActionType::CutSource, "cut_source"},
    {ModerationActionType::EndStream, "end_stream"},
    {ModerationActionType::Invite, "invite"},
    {ModerationActionType::Kick, "kick"},
    {ModerationActionType::KickListener, "kick_listener"},
}};

// A typed NULL: drivers bind an untyped invalid QVariant inconsistently.
QVariant nullable(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

// A null QString binds as SQL NULL, which the NOT NULL reason columns refuse; "no reason"
// is stored as ''.
QString notNull(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

std::optional<qint64> optionalValue(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

// Inserts or replaces the sanction of `kind` in the scope (room or global).
void upsertSanction(QSqlDatabase &db, const char *kind, std::optional<qint64> roomId, qint64 userId,
                    std::optional<qint64> untilMs, std::optional<qint64> actorId,
                    const QString &reason, qint64 nowMs)
{
    // The conflict target repeats idx_sanctions_active's columns exactly, so both backends
    // infer that index.
    sql::exec(
        db,
        QStringLiteral("INSERT INTO sanctions (kind, room_id, user_id, until_ms, actor_id, reason, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (user_id, (COALESCE(room_id, 0)), kind) DO UPDATE SET "
                       "until_ms = excluded.until_ms, actor_id = excluded.actor_id, "
                       "reason = excluded.reason, created_at = excluded.created_at"),
        {QString::fromLatin1(kind), nullable(roomId), userId, nullable(untilMs), nullable(actorId),
         notNull(reason), nowMs});
}

// {"seconds":N} of a sanction that ends; nothing for a permanent one.
QJsonObject durationParams(std::optional<qint64> untilMs, qint64 nowMs)
{
    if (!untilMs)
        return {};
    return {{QStringLiteral("seconds"), (*untilMs - nowMs) / 1000}};
}

} // namespace

QString actionName(ModerationActionType type)
{
    for (const auto &[value, name] : actionNames) {
        if (value == type)
            return QString::fromLatin1(name);
    }
    return QString();
}

std::optional<ModerationActionType> actionFromName(QStringView name)
{
    for (const auto &[value, text] : actionNames) {
        if (name == QLatin1String(text))
            return value;
    }
    return std::nullopt;
}

bool ModerationStore::grantModerator(QSqlDatabase &db, qint64 roomId, qint64 userId,
                                     std::optional<qint64> grantedBy, qint64 nowMs,
                                     const QString &reason)
{
    storage::Transaction tx(db);
    const sql::Query insert = sql::exec(
        db,
        QStringLiteral("INSERT INTO room_moderators (room_id, user_id, granted_by, created_at) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (room_id, user_id) DO NOTHING"),
        {roomId, userId, nullable(grantedBy), nowMs});
    if (insert.numRowsAffected() != 1)
        return false;
    recordAction(db, ModerationAction{0, grantedBy, ModerationActionType::Grant, userId, roomId,
                                      reason, nowMs, std::nullopt});
    tx.commit();
    return true;
}

bool ModerationStore::revokeModerator(QSqlDatabase &db, qint64 roomId, qint64 userId,
                                      std::optional<qint64> actorId, qint64 nowMs,
                                      const QString &reason)
{
    storage::Transaction tx(db);
    const sql::Query removal = sql::exec(
        db, QStringLiteral("DELETE FROM room_moderators WHERE room_id = ? AND user_id = ?"),
        {roomId, userId});
    if (removal.numRowsAffected() != 1)
        return false;
    recordAction(db, ModerationAction{0, actorId, ModerationActionType::Revoke, userId, roomId,
                                      reason, nowMs, std::nullopt});
    tx.commit();
    return true;
}

bool ModerationStore::isRoomModerator(QSqlDatabase &db, qint64 roomId, qint64 userId)
{
    return sql::scalar(db,
                       QStringLiteral("SELECT 1 FROM room_moderators WHERE room_id = ? "
                                      "AND user_id = ?"),
                       {roomId, userId})
        .isValid();
}

QList<qint64> ModerationStore::roomsModeratedBy(QSqlDatabase &db, qint64 userId)
{
    sql::Query rows = sql::exec(
        db, QStringLiteral("SELECT room_id FROM room_moderators WHERE user_id = ?"), {userId});
    QList<qint64> rooms;
    while (rows.next())
        rooms.append(rows.value(0).toLongLong());
    return rooms;
}

qint64 ModerationStore::recordAction(QSqlDatabase &db, const ModerationAction &action)
{
    return sql::scalar(
               db,
               QStringLiteral("INSERT INTO moderation_actions (actor_id, action, target_user_id, "
                              "room_id, reason, created_at, expires_at, params) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
               {nullable(action.actorId), actionName(action.action), nullable(action.targetUserId),
                nullable(action.roomId), notNull(action.reason), action.createdAtMs,
                nullable(action.expiresAtMs),
                QString::fromUtf8(QJsonDocument(action.params).toJson(QJsonDocument::Compact))})
        .toLongLong();
}

QList<ModerationAction> ModerationStore::listActions(QSqlDatabase &db, const ActionQuery &query)
{
    // Only fixed fragments are joined; every value is bound.
    QStringList conditions;
    QVariantList values;
    const auto filter = [&](const std::optional<qint64> &value, const char *condition) {
        if (value) {
            conditions << QString::fromLatin1(condition);
            values << *value;
        }
    };
    filter(query.roomId, "room_id = ?");
    filter(query.targetUserId, "target_user_id = ?");
    filter(query.actorId, "actor_id = ?");
    filter(query.sinceMs, "created_at >= ?");
    filter(query.untilMs, "created_at < ?");
    if (query.action) {
        conditions << QStringLiteral("action = ?");
        values << actionName(*query.action);
    }
    filter(query.beforeId, "id < ?");
    QString statement =
        QStringLiteral("SELECT id, actor_id, action, target_user_id, room_id, reason, created_at, "
                       "expires_at, params FROM moderation_actions");
    if (!conditions.isEmpty())
        statement += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    statement += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    values << std::clamp(query.limit, 1, maxActionPage + 1); // a page and the row after it

    QList<ModerationAction> actions;
    sql::Query rows = sql::exec(db, statement, values);
    while (rows.next()) {
        ModerationAction action;
        action.id = rows.value(0).toLongLong();
        action.actorId = optionalValue(rows.value(1));
        // Rows written by a newer server may carry an action this build does not know;
        // they are still listed rather than hidden from the log.
        action.action =
            actionFromName(rows.value(2).toString()).value_or(ModerationActionType::Delete);
        action.targetUserId = optionalValue(rows.value(3));
        action.roomId = optionalValue(rows.value(4));
        action.reason = rows.value(5).toString();
        action.createdAtMs = rows.value(6).toLongLong();
        action.expiresAtMs = optionalValue(rows.value(7));
        action.params = QJsonDocument::fromJson(rows.value(8).toString().toUtf8()).object();
        actions << action;
    }
    return actions;
}

qint64 ModerationStore::ban(QSqlDatabase &db, std::optional<qint64> roomId, qint64 userId,
                            std::optional<qint64> untilMs, std::optional<qint64> actorId,
                            const QString &reason, qint64 nowMs)
{
    storage::Transaction tx(db);
    upsertSanction(db, "ban", roomId, userId, untilMs, actorId, reason, nowMs);
    const qint64 id =
        recordAction(db, ModerationAction{0, actorId, ModerationActionType::Ban, userId, roomId,
                                          reason, nowMs, untilMs, durationParams(untilMs, nowMs)});
    tx.commit();
    return id;
}

std::optional<qint64> ModerationStore::unban(QSqlDatabase &db, std::optional<qint64> roomId,
                                             qint64 userId, std::optional<qint64> actorId,
                                             const QString &reason, qint64 nowMs)
{
    storage::Transaction tx(db);
    // Expired rows in the scope go too, but only sanctions still in force count as lifted.
    sql::Query removed =
        roomId ? sql::exec(db,
                           QStringLiteral("DELETE FROM sanctions WHERE user_id = ? AND "
                                          "room_id = ? RETURNING until_ms"),
                           {userId, *roomId})
               : sql::exec(db,
                           QStringLiteral("DELETE FROM sanctions WHERE user_id = ? AND "
                                          "room_id IS NULL RETURNING until_ms"),
                           {userId});
    bool lifted = false;
    while (removed.next()) {
        const QVariant until = removed.value(0);
        lifted = lifted || until.isNull() || until.toLongLong() > nowMs;
    }
    if (!lifted) {
        tx.commit(); // keeps the clean-up of expired rows
        return std::nullopt;
    }
    const qint64 id = recordAction(
        db, ModerationAction{
                0, actorId, ModerationActionType::Unban, userId, roomId, reason, nowMs, {}});
    tx.commit();
    return id;
}

qint64 ModerationStore::timeout(QSqlDatabase &db, qint64 roomId, qint64 userId, qint64 untilMs,
                                std::optional<qint64> actorId, const QString &reason, qint64 nowMs)
{
    storage::Transaction tx(db);
    upsertSanction(db, "timeout", roomId, userId, untilMs, actorId, reason, nowMs);
    const qint64 id =
        recordAction(db, ModerationAction{0, actorId, ModerationActionType::Timeout, userId, roomId,
                                          reason, nowMs, untilMs, durationParams(untilMs, nowMs)});
    tx.commit();
    return id;
}

std::optional<SanctionState>
ModerationStore::sanctionInScope(QSqlDatabase &db, std::optional<qint64> roomId, qint64 userId,
                                 SanctionState::Kind kind, qint64 nowMs)
{
    sql::Query row = sql::exec(
        db,
        QStringLiteral("SELECT until_ms FROM sanctions WHERE user_id = ? "
                       "AND COALESCE(room_id, 0) = ? AND kind = ? "
                       "AND (until_ms IS NULL OR until_ms > ?)"),
        {userId, roomId.value_or(0),
         kind == SanctionState::Kind::Banned ? QStringLiteral("ban") : QStringLiteral("timeout"),
         nowMs});
    if (!row.next())
        return std::nullopt;
    return SanctionState{kind, optionalValue(row.value(0)), !roomId.has_value()};
}

SanctionState ModerationStore::activeSanction(QSqlDatabase &db, qint64 roomId, qint64 userId,
                                              qint64 nowMs)
{
    // Written against idx_sanctions_active: user_id, then the COALESCE'd scope.
    sql::Query rows =
        sql::exec(db,
                  QStringLiteral("SELECT kind, until_ms, room_id FROM sanctions WHERE user_id = ? "
                                 "AND COALESCE(room_id, 0) IN (?, 0) "
                                 "AND (until_ms IS NULL OR until_ms > ?)"),
                  {userId, roomId, nowMs});
    SanctionState best;
    while (rows.next())
        keepStrongest(best, rows.value(0), rows.value(1), rows.value(2));
    return best;
}

void ModerationStore::keepStrongest(SanctionState &best, const QVariant &kind,
                                    const QVariant &untilMs, const QVariant &roomId)
{
    SanctionState candidate;
    candidate.kind = kind.toString() == QLatin1String("ban") ? SanctionState::Kind::Banned
                                                             : SanctionState::Kind::Timeout;
    candidate.untilMs = optionalValue(untilMs);
    candidate.global = roomId.isNull();
    // Orders candidates: bans over timeouts, then permanent over timed, then the later end.
    const auto rank = [](const SanctionState &s) {
        return std::make_tuple(static_cast<int>(s.kind), !s.untilMs.has_value(),
                               s.untilMs.value_or(0));
    };
    if (best.kind == SanctionState::Kind::None || rank(candidate) > rank(best))
        best = candidate;
}

QList<std::pair<QString, std::optional<qint64>>> ModerationStore::activeServerBans(QSqlDatabase &db,
                                                                                   qint64 nowMs)
{
    sql::Query rows =
        sql::exec(db,
                  QStringLiteral(
                      "SELECT u.name, s.until_ms FROM sanctions s JOIN users u ON u.id = s.user_id "
                      "WHERE s.kind = 'ban' AND s.room_id IS NULL "
                      "AND (s.until_ms IS NULL OR s.until_ms > ?)"),
                  {nowMs});
    QList<std::pair<QString, std::optional<qint64>>> bans;
    while (rows.next())
        bans.append({rows.value(0).toString(), optionalValue(rows.value(1))});
    return bans;
}

QList<SanctionEntry> ModerationStore::listSanctions(QSqlDatabase &db, const SanctionQuery &query,
                                                    qint64 nowMs)
{
    QString statement = QStringLiteral(
        "SELECT s.id, s.kind, r.name, u.name, a.name, s.reason, s.created_at, s.until_ms "
        "FROM sanctions s JOIN users u ON u.id = s.user_id "
        "LEFT JOIN rooms r ON r.id = s.room_id LEFT JOIN users a ON a.id = s.actor_id "
        "WHERE (s.until_ms IS NULL OR s.until_ms > ?)");
    QVariantList values{nowMs};
    if (query.roomId) {
        statement += QStringLiteral(" AND s.room_id = ?");
        values << *query.roomId;
    }
    if (query.userId) {
        statement += QStringLiteral(" AND s.user_id = ?");
        values << *query.userId;
    }
    if (query.beforeId) {
        statement += QStringLiteral(" AND s.id < ?");
        values << *query.beforeId;
    }
    statement += QStringLiteral(" ORDER BY s.id DESC LIMIT ?");
    values << std::clamp(query.limit, 1, maxActionPage + 1);
    QList<SanctionEntry> entries;
    sql::Query rows = sql::exec(db, statement, values);
    while (rows.next()) {
        entries.append({rows.value(0).toLongLong(), rows.value(1).toString() == u"ban",
                        rows.value(2).toString(), rows.value(3).toString(),
                        rows.value(4).toString(), rows.value(5).toString(),
                        rows.value(6).toLongLong(), optionalValue(rows.value(7))});
    }
    return entries;
}

int ModerationStore::pruneExpiredSanctions(QSqlDatabase &db, qint64 nowMs)
{
    const sql::Query removal = sql::exec(
        db, QStringLiteral("DELETE FROM sanctions WHERE until_ms IS NOT NULL AND until_ms <= ?"),
        {nowMs});
    return removal.numRowsAffected();
}

} // namespace veza::moderation
