#include "chat/DeviceKeyStore.h"

#include "storage/Sql.h"
#include "storage/Transaction.h"

#include <QSqlQuery>

namespace veza::chat {

namespace sql = storage::sql;

namespace {

bool isPostgres(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QPSQL");
}

int unclaimedCount(QSqlDatabase &db, qint64 userId, const QString &deviceId)
{
    return sql::scalar(db,
                       QStringLiteral("SELECT COUNT(*) FROM one_time_prekeys WHERE user_id = ? "
                                      "AND device_id = ? AND claimed_at IS NULL"),
                       {userId, deviceId}, 0)
        .toInt();
}

} // namespace

RegisterResult DeviceKeyStore::registerDevice(QSqlDatabase &db, qint64 userId,
                                              const QString &deviceId,
                                              const QByteArray &identityKey, qint64 nowMs)
{
    // Insert first and look only on conflict: two concurrent registrations of one device
    // cannot both succeed, whichever connection wins.
    const sql::Query insert = sql::exec(
        db,
        QStringLiteral("INSERT INTO devices (user_id, device_id, identity_key, created_at) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (user_id, device_id) DO NOTHING"),
        {userId, deviceId, identityKey, nowMs});
    if (insert.numRowsAffected() == 1)
        return RegisterResult::Registered;
    const QByteArray stored =
        sql::scalar(db,
                    QStringLiteral("SELECT identity_key FROM devices WHERE user_id = ? "
                                   "AND device_id = ?"),
                    {userId, deviceId})
            .toByteArray();
    return stored == identityKey ? RegisterResult::AlreadyRegistered
                                 : RegisterResult::IdentityKeyConflict;
}

bool DeviceKeyStore::removeDevice(QSqlDatabase &db, qint64 userId, const QString &deviceId)
{
    // The prekeys go with it (ON DELETE CASCADE).
    const sql::Query removal =
        sql::exec(db, QStringLiteral("DELETE FROM devices WHERE user_id = ? AND device_id = ?"),
                  {userId, deviceId});
    return removal.numRowsAffected() == 1;
}

QList<DeviceInfo> DeviceKeyStore::devicesOf(QSqlDatabase &db, qint64 userId)
{
    sql::Query rows = sql::exec(
        db,
        QStringLiteral("SELECT d.device_id, d.identity_key, d.created_at, "
                       "(SELECT COUNT(*) FROM one_time_prekeys p WHERE p.user_id = d.user_id "
                       "AND p.device_id = d.device_id AND p.claimed_at IS NULL) "
                       "FROM devices d WHERE d.user_id = ? ORDER BY d.device_id"),
        {userId});
    QList<DeviceInfo> devices;
    while (rows.next()) {
        DeviceInfo device;
        device.deviceId = rows.value(0).toString();
        device.identityKey = rows.value(1).toByteArray();
        device.createdAtMs = rows.value(2).toLongLong();
        device.unclaimedPrekeys = rows.value(3).toInt();
        devices << device;
    }
    return devices;
}

UploadResult DeviceKeyStore::uploadPrekeys(QSqlDatabase &db, qint64 userId, const QString &deviceId,
                                           const QList<Prekey> &prekeys)
{
    storage::Transaction tx(db);
    // PostgreSQL: locking the device row serialises uploads for one device, so two batches
    // cannot each pass the cap check on their own. SQLite's single writer already does.
    const QString lockDevice = isPostgres(db)
                                   ? QStringLiteral("SELECT 1 FROM devices WHERE user_id = ? AND "
                                                    "device_id = ? FOR UPDATE")
                                   : QStringLiteral("SELECT 1 FROM devices WHERE user_id = ? AND "
                                                    "device_id = ?");
    if (!sql::scalar(db, lockDevice, {userId, deviceId}).isValid())
        return {UploadStatus::UnknownDevice, 0, 0};
    // A batch larger than the cap cannot fit; refuse before doing the work.
    if (prekeys.size() > maxUnclaimedPrekeys)
        return {UploadStatus::TooMany, 0, unclaimedCount(db, userId, deviceId)};

    int inserted = 0;
    for (const Prekey &prekey : prekeys) {
        const sql::Query insert =
            sql::exec(db,
                      QStringLiteral("INSERT INTO one_time_prekeys (user_id, device_id, key_id, "
                                     "public_key) VALUES (?, ?, ?, ?) "
                                     "ON CONFLICT (user_id, device_id, key_id) DO NOTHING"),
                      {userId, deviceId, prekey.keyId, prekey.publicKey});
        inserted += insert.numRowsAffected();
    }
    // Counted after inserting, so duplicates (in the batch or stored) do not count against
    // the cap; the transaction undoes the inserts when the total is too high.
    const int unclaimed = unclaimedCount(db, userId, deviceId);
    if (unclaimed > maxUnclaimedPrekeys)
        return {UploadStatus::TooMany, 0, unclaimed - inserted};
    tx.commit();
    return {UploadStatus::Stored, inserted, unclaimed};
}

std::optional<Prekey> DeviceKeyStore::claimPrekey(QSqlDatabase &db, qint64 userId,
                                                  const QString &deviceId, qint64 nowMs)
{
    // PostgreSQL: without FOR UPDATE, two transactions could pick the same row in the
    // subquery and both "claim" it (the re-check after waiting only tests the id). SKIP
    // LOCKED makes a concurrent claimer take the next key instead of waiting. SQLite has
    // one writer, so the single statement is atomic there as it is.
    const QString lock = isPostgres(db) ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString();
    sql::Query claimed = sql::exec(
        db,
        QStringLiteral("UPDATE one_time_prekeys SET claimed_at = ? WHERE id = ("
                       "SELECT id FROM one_time_prekeys WHERE user_id = ? AND device_id = ? "
                       "AND claimed_at IS NULL ORDER BY id LIMIT 1") +
            lock + QStringLiteral(") RETURNING key_id, public_key"),
        {nowMs, userId, deviceId});
    if (!claimed.next())
        return std::nullopt;
    return Prekey{claimed.value(0).toLongLong(), claimed.value(1).toByteArray()};
}

} // namespace veza::chat
