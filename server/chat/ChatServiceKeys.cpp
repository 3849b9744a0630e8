// ChatService: end-to-end key distribution. The server stores and serves each device's
// public identity key and a pool of one-time prekeys (base64 on the wire); it never sees a
// private key or a plaintext. Same thread and rules as ChatService.cpp.
#include "chat/ChatJson.h"
#include "chat/ChatRooms.h"
#include "chat/ChatService.h"
#include "chat/DeviceKeyStore.h"
#include "protocol/ServerFrames.h"
#include "storage/Database.h"

#include <QFuture>
#include <QJsonArray>

namespace veza::chat {
namespace {

using protocol::ErrorCode;
using protocol::MessageType;
using namespace detail;

constexpr qsizetype kMaxKeyBytes = 1024;

// A public key from base64 text; nullopt when it is not base64 or not 1..1024 bytes.
std::optional<QByteArray> keyFromBase64(const QString &text)
{
    auto decoded =
        QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty() || decoded.decoded.size() > kMaxKeyBytes)
        return std::nullopt;
    return decoded.decoded;
}

// The answer to a key request: the ack's fields, or an error.
struct KeyOutcome
{
    std::optional<ErrorCode> error;
    QString message;
    QJsonObject fields;

    static KeyOutcome ok(QJsonObject fields) { return {std::nullopt, {}, std::move(fields)}; }
    static KeyOutcome refused(ErrorCode code, QString message)
    {
        return {code, std::move(message), {}};
    }
};

} // namespace

void ChatService::keys(const ConnectionRef &connection, const Session &session,
                       const Request &request)
{
    if (!m_options.e2eAllowed)
        return fail(connection, request.id, ErrorCode::Forbidden,
                    QStringLiteral("end-to-end encryption is disabled on this server"));
    const MessageType type = request.type;
    const qint64 userId = session.userId;
    const QString deviceId = request.string(QLatin1StringView("device_id"));
    const QString user = request.string(QLatin1StringView("user"));
    std::optional<QByteArray> identityKey;
    QList<Prekey> prekeys;
    if (type == MessageType::DeviceRegister) {
        identityKey = keyFromBase64(request.string(QLatin1StringView("identity_key")));
        if (!identityKey)
            return fail(connection, request.id, ErrorCode::BadRequest,
                        QStringLiteral("\"identity_key\" must be base64 of 1 to 1024 bytes"));
    } else if (type == MessageType::PrekeysUpload) {
        for (const QJsonValue &value :
             request.fields.value(QLatin1StringView("prekeys")).toArray()) {
            const QJsonObject prekey = value.toObject();
            const std::optional<QByteArray> key =
                keyFromBase64(prekey.value(QLatin1StringView("public_key")).toString());
            const double keyId = prekey.value(QLatin1StringView("key_id")).toDouble(-1);
            if (!key || keyId < 0 || keyId != qint64(keyId))
                return fail(
                    connection, request.id, ErrorCode::BadRequest,
                    QStringLiteral(
                        "each prekey needs \"key_id\" (integer) and \"public_key\" (base64)"));
            prekeys.append({qint64(keyId), *key});
        }
    }
    if (type == MessageType::PrekeyClaim) {
        qint64 retryAfterMs = 0;
        if (!m_prekeyClaims.take(userId, m_clock.elapsed(), &retryAfterMs)) {
            m_metrics.rateLimited.inc();
            return fail(
                connection, request.id, ErrorCode::RateLimited,
                QStringLiteral("at most %1 prekey claims a minute").arg(kPrekeyClaimsPerMinute),
                {{QStringLiteral("retry_after_ms"), retryAfterMs}});
        }
    }
    m_database
        .run([=](QSqlDatabase &db) -> KeyOutcome {
            const qint64 now = nowMs();
            switch (type) {
            case MessageType::DeviceRegister: {
                const RegisterResult result =
                    DeviceKeyStore::registerDevice(db, userId, deviceId, *identityKey, now);
                if (result == RegisterResult::IdentityKeyConflict)
                    return KeyOutcome::refused(
                        ErrorCode::Conflict,
                        QStringLiteral("this device id has another identity key"));
                return KeyOutcome::ok({{QStringLiteral("device_id"), deviceId}});
            }
            case MessageType::PrekeysUpload: {
                const UploadResult result =
                    DeviceKeyStore::uploadPrekeys(db, userId, deviceId, prekeys);
                if (result.status == UploadStatus::UnknownDevice)
                    return KeyOutcome::refused(ErrorCode::NotFound,
                                               QStringLiteral("register the device first"));
                if (result.status == UploadStatus::TooMany)
                    return KeyOutcome::refused(
                        ErrorCode::TooLarge,
                        QStringLiteral("at most %1 unclaimed prekeys per device")
                            .arg(DeviceKeyStore::maxUnclaimedPrekeys));
                return KeyOutcome::ok({{QStringLiteral("stored"), result.inserted},
                                       {QStringLiteral("unclaimed"), result.unclaimed}});
            }
            case MessageType::Devices: {
                const std::optional<qint64> owner = ChatRooms::findUser(db, user);
                QJsonArray devices;
                for (const DeviceInfo &device :
                     owner ? DeviceKeyStore::devicesOf(db, *owner) : QList<DeviceInfo>())
                    devices.append(
                        QJsonObject{{QStringLiteral("device_id"), device.deviceId},
                                    {QStringLiteral("identity_key"),
                                     QString::fromLatin1(device.identityKey.toBase64())},
                                    {QStringLiteral("prekeys"), device.unclaimedPrekeys}});
                return KeyOutcome::ok(
                    {{QStringLiteral("user"), user}, {QStringLiteral("devices"), devices}});
            }
            case MessageType::PrekeyClaim: {
                const std::optional<qint64> owner = ChatRooms::findUser(db, user);
                const std::optional<Prekey> prekey =
                    owner ? DeviceKeyStore::claimPrekey(db, *owner, deviceId, now) : std::nullopt;
                if (!prekey)
                    return KeyOutcome::refused(
                        ErrorCode::NotFound,
                        QStringLiteral("no prekey left for this device; use its identity key"));
                return KeyOutcome::ok({{QStringLiteral("user"), user},
                                       {QStringLiteral("device_id"), deviceId},
                                       {QStringLiteral("key_id"), prekey->keyId},
                                       {QStringLiteral("public_key"),
                                        QString::fromLatin1(prekey->publicKey.toBase64())}});
            }
            default:
                return KeyOutcome::refused(ErrorCode::BadRequest,
                                           QStringLiteral("not a key request"));
            }
        })
        .then(this,
              [this, connection, id = request.id](const KeyOutcome &outcome) {
                  if (outcome.error)
                      return fail(connection, id, *outcome.error, outcome.message);
                  m_outbox->send(connection, protocol::ackFrame(id, outcome.fields));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry"));
        });
}

} // namespace veza::chat
