#include "protocol/ServerFrames.h"

#include <QJsonDocument>

namespace veza::protocol {
namespace {
QByteArray encode(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}
} // namespace

QByteArray ackFrame(const QJsonValue &id, const QJsonObject &fields)
{
    QJsonObject object = fields;
    object.insert(QLatin1StringView("type"), messageTypeName(MessageType::Ack));
    if (!id.isUndefined() && !id.isNull())
        object.insert(QLatin1StringView("id"), id);
    return encode(object);
}

QByteArray errorFrame(const QJsonValue &id, ErrorCode code, const QString &message,
                      const QJsonObject &extra)
{
    QJsonObject object = extra;
    object.insert(QLatin1StringView("type"), messageTypeName(MessageType::Error));
    if (!id.isUndefined() && !id.isNull())
        object.insert(QLatin1StringView("id"), id);
    object.insert(QLatin1StringView("code"), errorCodeName(code));
    object.insert(QLatin1StringView("message"), message);
    // An internal error is the server's trouble (a database busy or down): say when to retry.
    if (code == ErrorCode::Internal && !object.contains(QLatin1StringView("retry_after_ms")))
        object.insert(QLatin1StringView("retry_after_ms"), kInternalRetryAfterMs);
    return encode(object);
}

QByteArray eventFrame(MessageType type, const QJsonObject &fields)
{
    QJsonObject object = fields;
    object.insert(QLatin1StringView("type"), messageTypeName(type));
    return encode(object);
}

} // namespace veza::protocol
