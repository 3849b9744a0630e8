#include "cluster/StreamCensus.h"

#include <QJsonDocument>

namespace veza::cluster {
namespace {

const QByteArray kInstances = "veza:streams:instances";
const QByteArray kExpiryMs = "5000";

} // namespace

StreamCensus::StreamCensus(redis::RedisConnection &redis, QByteArray instanceId)
    : m_redis(redis)
    , m_instanceId(std::move(instanceId))
{
}

QByteArray StreamCensus::keyOf(const QByteArray &instanceId)
{
    return "veza:streams:instance:" + instanceId;
}

void StreamCensus::publish(const QHash<QString, Part> &mine)
{
    if (!m_redis.isReady()) {
        replace({}); // unknown: this instance shows its own streams only
        return;
    }
    QJsonObject streams;
    for (auto it = mine.cbegin(); it != mine.cend(); ++it) {
        QJsonObject part{{QStringLiteral("listeners"), it->listeners},
                         {QStringLiteral("relay"), it->relay},
                         {QStringLiteral("bitrate"), it->bitrateBps},
                         {QStringLiteral("started_at"), it->startedAtMs}};
        if (it->titleSetAtMs > 0) {
            part.insert(QStringLiteral("title"), QString::fromUtf8(it->title));
            part.insert(QStringLiteral("title_at"), it->titleSetAtMs);
        }
        streams.insert(it.key(), part);
    }
    m_redis.command({"SET", keyOf(m_instanceId),
                     QJsonDocument(streams).toJson(QJsonDocument::Compact), "PX", kExpiryMs});
    m_redis.command({"SADD", kInstances, m_instanceId});
    m_redis.command({"PEXPIRE", kInstances, kExpiryMs}); // gone with the last instance
    readOthers();
}

void StreamCensus::readOthers()
{
    m_redis.command({"SMEMBERS", kInstances}, [this](const redis::RedisReply &members) {
        QByteArrayList ids;
        for (const redis::RedisReply &member : members.elements) {
            if (member.text != m_instanceId)
                ids.append(member.text);
        }
        {
            QMutexLocker lock(&m_mutex);
            m_otherInstances = QSet<QByteArray>(ids.cbegin(), ids.cend());
        }
        if (ids.isEmpty())
            return replace({});
        QByteArrayList command{"MGET"};
        for (const QByteArray &id : std::as_const(ids))
            command.append(keyOf(id));
        m_redis.command(command, [this, ids](const redis::RedisReply &values) {
            if (values.isError())
                return replace({});
            QHash<QString, Elsewhere> others;
            for (qsizetype i = 0; i < values.elements.size() && i < ids.size(); ++i) {
                const redis::RedisReply &value = values.elements[i];
                if (value.type == redis::RedisReply::Type::Nil) {
                    m_redis.command({"SREM", kInstances, ids[i]}); // gone: its key expired
                    continue;
                }
                const QJsonObject streams = QJsonDocument::fromJson(value.text).object();
                for (auto it = streams.constBegin(); it != streams.constEnd(); ++it) {
                    const QJsonObject part = it.value().toObject();
                    Elsewhere &sum = others[it.key()];
                    sum.listeners += part.value(u"listeners").toInt();
                    if (part.value(u"relay").toBool()) {
                        ++sum.relays;
                        continue;
                    }
                    sum.carried = true;
                    sum.bitrateBps = part.value(u"bitrate").toInteger();
                    sum.startedAtMs = part.value(u"started_at").toInteger();
                    sum.title = part.value(u"title").toString().toUtf8();
                    sum.titleSetAtMs = part.value(u"title_at").toInteger();
                }
            }
            replace(std::move(others));
        });
    });
}

void StreamCensus::replace(QHash<QString, Elsewhere> others)
{
    QMutexLocker lock(&m_mutex);
    m_elsewhere = std::move(others);
}

bool StreamCensus::isRelay(const QString &userAgent) const
{
    static const QString prefix = QStringLiteral("veza-relay/");
    if (!userAgent.startsWith(prefix))
        return false;
    QMutexLocker lock(&m_mutex);
    return m_otherInstances.contains(userAgent.sliced(prefix.size()).toUtf8());
}

std::optional<StreamCensus::Elsewhere> StreamCensus::elsewhere(const QString &name) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_elsewhere.constFind(name);
    return it == m_elsewhere.cend() ? std::nullopt : std::optional<Elsewhere>(*it);
}

} // namespace veza::cluster
