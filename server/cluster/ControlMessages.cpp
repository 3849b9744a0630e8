#include "cluster/ControlMessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace veza::cluster {

const QByteArray ControlMessages::kChannel = "veza:chat:control";
const QByteArray ControlMessages::kModeration = "moderation";
const QByteArray ControlMessages::kRate = "rate";
const QByteArray ControlMessages::kMembers = "members";

namespace {

std::optional<QJsonObject> objectOf(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace

QByteArray ControlMessages::envelope(const QByteArray &instanceId, const QByteArray &kind,
                                     const QByteArray &body)
{
    return instanceId + ' ' + kind + '\n' + body;
}

std::optional<ControlMessages::Envelope> ControlMessages::open(const QByteArray &payload)
{
    const qsizetype space = payload.indexOf(' ');
    const qsizetype newline = payload.indexOf('\n', space + 1);
    if (space <= 0 || newline < 0)
        return std::nullopt;
    return Envelope{payload.first(space), payload.sliced(space + 1, newline - space - 1),
                    payload.sliced(newline + 1)};
}

QByteArray ControlMessages::moderation(const chat::ModerationNotice &notice)
{
    QJsonObject body{{QStringLiteral("type"), protocol::messageTypeName(notice.type)},
                     {QStringLiteral("frame"), QString::fromUtf8(notice.frame)},
                     {QStringLiteral("room_id"), notice.roomId},
                     {QStringLiteral("room"), notice.roomName},
                     {QStringLiteral("last_seq"), notice.roomLastSeq},
                     {QStringLiteral("target_id"), notice.targetId},
                     {QStringLiteral("target"), notice.target}};
    if (notice.untilMs)
        body.insert(QStringLiteral("until"), *notice.untilMs);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::optional<chat::ModerationNotice> ControlMessages::moderationOf(const QByteArray &body)
{
    const std::optional<QJsonObject> object = objectOf(body);
    if (!object)
        return std::nullopt;
    const std::optional<protocol::MessageType> type =
        protocol::messageTypeFromName(object->value(u"type").toString());
    if (!type)
        return std::nullopt;
    chat::ModerationNotice notice;
    notice.type = *type;
    notice.frame = object->value(u"frame").toString().toUtf8();
    notice.roomId = object->value(u"room_id").toInteger();
    notice.roomName = object->value(u"room").toString();
    notice.roomLastSeq = object->value(u"last_seq").toInteger();
    notice.targetId = object->value(u"target_id").toInteger();
    notice.target = object->value(u"target").toString();
    if (object->contains(u"until"))
        notice.untilMs = object->value(u"until").toInteger();
    return notice;
}

QByteArray ControlMessages::members(const chat::NewMembers &members)
{
    QJsonArray users;
    for (qint64 userId : members.userIds)
        users.append(userId);
    return QJsonDocument(QJsonObject{{QStringLiteral("room_id"), members.roomId},
                                     {QStringLiteral("room"), members.roomName},
                                     {QStringLiteral("last_seq"), members.lastSeq},
                                     {QStringLiteral("users"), users}})
        .toJson(QJsonDocument::Compact);
}

std::optional<chat::NewMembers> ControlMessages::membersOf(const QByteArray &body)
{
    const std::optional<QJsonObject> object = objectOf(body);
    if (!object || object->value(u"room_id").toInteger() <= 0 || !object->value(u"users").isArray())
        return std::nullopt;
    chat::NewMembers members;
    members.roomId = object->value(u"room_id").toInteger();
    members.roomName = object->value(u"room").toString();
    members.lastSeq = object->value(u"last_seq").toInteger();
    for (const QJsonValue &user : object->value(u"users").toArray()) {
        if (user.toInteger() > 0)
            members.userIds.append(user.toInteger());
    }
    return members;
}

QByteArray ControlMessages::rate(const RateLimit &limit)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("user_id"), limit.userId},
                                     {QStringLiteral("tokens"), limit.tokens}})
        .toJson(QJsonDocument::Compact);
}

std::optional<ControlMessages::RateLimit> ControlMessages::rateOf(const QByteArray &body)
{
    const std::optional<QJsonObject> object = objectOf(body);
    if (!object || !object->value(u"tokens").isDouble())
        return std::nullopt;
    return RateLimit{object->value(u"user_id").toInteger(), object->value(u"tokens").toDouble()};
}

} // namespace veza::cluster
