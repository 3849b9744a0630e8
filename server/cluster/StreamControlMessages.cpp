#include "cluster/StreamControlMessages.h"

#include "streaming/StreamTypes.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace veza::cluster {
namespace {

constexpr std::pair<StreamControl::Kind, const char *> kKinds[] = {
    {StreamControl::Kind::End, "end"},         {StreamControl::Kind::Cut, "cut"},
    {StreamControl::Kind::KeyRotated, "key"},  {StreamControl::Kind::Described, "describe"},
    {StreamControl::Kind::Retitled, "title"},  {StreamControl::Kind::Kick, "kick"},
    {StreamControl::Kind::Effects, "effects"},
};

} // namespace

const QByteArray StreamControl::kChannel = "veza:streams:control";

QByteArray StreamControl::kindName() const
{
    for (const auto &[known, name] : kKinds) {
        if (known == kind)
            return name;
    }
    return {};
}

QByteArray StreamControl::body() const
{
    QJsonObject object{{QStringLiteral("name"), name}};
    if (kind == Kind::Cut)
        object.insert(QStringLiteral("block_ms"), blockMs);
    if (kind == Kind::Kick) {
        object.insert(QStringLiteral("stream_id"), streamId);
        object.insert(QStringLiteral("listener_id"), listenerId);
    }
    if (kind == Kind::Effects)
        object.insert(QStringLiteral("effects"), effects);
    if (kind == Kind::Retitled)
        object.insert(QStringLiteral("title"), QString::fromUtf8(title));
    if (kind == Kind::Described) {
        object.insert(QStringLiteral("title"), listing.title);
        object.insert(QStringLiteral("owner"), listing.owner);
        object.insert(QStringLiteral("public"), listing.isPublic);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<StreamControl> StreamControl::of(const QByteArray &kind, const QByteArray &body)
{
    StreamControl control;
    bool known = false;
    for (const auto &[value, name] : kKinds) {
        if (kind == name) {
            control.kind = value;
            known = true;
        }
    }
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    control.name = object.value(u"name").toString();
    control.streamId = object.value(u"stream_id").toInteger();
    control.listenerId = object.value(u"listener_id").toInteger();
    control.effects = object.value(u"effects").toObject();
    if (!known)
        return std::nullopt;
    if (control.kind == Kind::Kick ? control.streamId <= 0 || control.listenerId <= 0
                                   : !streaming::isValidStreamName(control.name))
        return std::nullopt;
    control.blockMs = std::max<qint64>(0, object.value(u"block_ms").toInteger());
    control.listing.title = object.value(u"title").toString();
    control.title = control.listing.title.toUtf8();
    control.listing.owner = object.value(u"owner").toString();
    control.listing.isPublic = object.value(u"public").toBool(true);
    return control;
}

} // namespace veza::cluster
