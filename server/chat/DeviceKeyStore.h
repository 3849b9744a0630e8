#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace veza::chat {

// A device as others see it when they start an encrypted session with its owner.
struct DeviceInfo
{
    QString deviceId;
    QByteArray identityKey;
    int unclaimedPrekeys = 0;
    qint64 createdAtMs = 0;
};

// One one-time prekey (public part only).
struct Prekey
{
    qint64 keyId = 0;
    QByteArray publicKey;
};

enum class RegisterResult {
    Registered,          // new device stored
    AlreadyRegistered,   // same device, same identity key: nothing to do
    IdentityKeyConflict, // same device id, other key: refused (remove the device first)
};

enum class UploadStatus {
    Stored,        // every new key stored (duplicates ignored)
    UnknownDevice, // the device is not registered for this user
    TooMany,       // would exceed maxUnclaimedPrekeys; nothing stored
};

struct UploadResult
{
    UploadStatus status = UploadStatus::Stored;
    int inserted = 0;  // new keys stored by this call
    int unclaimed = 0; // unclaimed keys of the device afterwards
};

// DeviceKeyStore: public keys for end-to-end encryption, per user device: the long-term
// identity key and a pool of one-time prekeys that other users claim, each at most once.
// The server only stores and serves public keys; it never sees plaintext or private keys.
// Stateless: every function runs inside a Database::run job, on a database worker thread,
// with that thread's connection, and throws storage::StorageError on database failure.
class DeviceKeyStore
{
public:
    // Bounds what one device may park on the server.
    static constexpr int maxUnclaimedPrekeys = 200;

    DeviceKeyStore() = delete;

    // An identity key is never replaced in place: peers pinned it, so a silent change would
    // let the server swap keys unnoticed.
    static RegisterResult registerDevice(QSqlDatabase &db, qint64 userId, const QString &deviceId,
                                         const QByteArray &identityKey, qint64 nowMs);
    // Removes a device and its prekeys; false when it did not exist.
    static bool removeDevice(QSqlDatabase &db, qint64 userId, const QString &deviceId);
    // Ordered by device id.
    static QList<DeviceInfo> devicesOf(QSqlDatabase &db, qint64 userId);

    // Stores new prekeys; key ids already known for the device (claimed or not) are ignored.
    // All or nothing: a batch that would exceed the cap stores nothing. Opens a transaction.
    static UploadResult uploadPrekeys(QSqlDatabase &db, qint64 userId, const QString &deviceId,
                                      const QList<Prekey> &prekeys);
    // Takes the oldest unclaimed prekey of the device, atomically: concurrent claims on
    // several connections never return the same key. Empty when none is left (the caller
    // then falls back to the identity key alone). One statement, so it may run inside the
    // caller's transaction.
    static std::optional<Prekey> claimPrekey(QSqlDatabase &db, qint64 userId,
                                             const QString &deviceId, qint64 nowMs);
};

} // namespace veza::chat
