#include "cluster/ListenerCensus.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace veza::cluster {
namespace {

const QByteArray kWanted = "veza:streams:rosters-wanted";
constexpr qint64 kWantedForMs = 10000;
constexpr qint64 kPartFreshMs = 3000;
const QByteArray kPartExpiryMs = "5000";

QByteArray keyOf(qint64 streamId)
{
    return "veza:streams:roster:" + QByteArray::number(streamId);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

ListenerCensus::ListenerCensus(redis::RedisConnection &redis, QByteArray instanceId,
                               const StreamCensus &census)
    : m_redis(redis)
    , m_instanceId(std::move(instanceId))
    , m_census(census)
{
}

QList<ListenerCensus::Listener> ListenerCensus::elsewhere(qint64 streamId)
{
    QMutexLocker lock(&m_mutex);
    m_askedAtMs.insert(streamId, nowMs());
    return m_elsewhere.value(streamId);
}

void ListenerCensus::exchange(const std::function<QList<Listener>(qint64)> &mine)
{
    const qint64 now = nowMs();
    QList<qint64> asked;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_askedAtMs.begin(); it != m_askedAtMs.end();) {
            if (now - it.value() > kWantedForMs) {
                m_elsewhere.remove(it.key());
                it = m_askedAtMs.erase(it);
                continue;
            }
            asked.append(it.key());
            ++it;
        }
    }
    if (!m_redis.isReady())
        return;
    for (qint64 streamId : std::as_const(asked)) {
        m_redis.command({"ZADD", kWanted, QByteArray::number(now + kWantedForMs),
                         QByteArray::number(streamId)});
        readParts(streamId);
    }
    m_redis.command({"ZREMRANGEBYSCORE", kWanted, "-inf", QByteArray::number(now)});
    m_redis.command({"PEXPIRE", kWanted, QByteArray::number(kWantedForMs * 2)});
    m_redis.command({"ZRANGEBYSCORE", kWanted, QByteArray::number(now), "+inf"},
                    [this, mine](const redis::RedisReply &reply) {
                        QList<qint64> wanted;
                        for (const redis::RedisReply &member : reply.elements)
                            wanted.append(member.text.toLongLong());
                        writeParts(wanted, mine);
                    });
}

void ListenerCensus::writeParts(const QList<qint64> &wanted,
                                const std::function<QList<Listener>(qint64)> &mine)
{
    for (qint64 streamId : wanted) {
        QJsonArray listeners;
        for (const Listener &listener : mine(streamId)) {
            if (listeners.size() >= kMaxPerInstance)
                break;
            if (!m_census.isRelay(listener.userAgent))
                listeners.append(streaming::connectedListenerJson(listener));
        }
        if (listeners.isEmpty()) {
            m_redis.command({"HDEL", keyOf(streamId), m_instanceId});
            continue;
        }
        const QJsonObject part{{QStringLiteral("at"), nowMs()},
                               {QStringLiteral("listeners"), listeners}};
        m_redis.command({"HSET", keyOf(streamId), m_instanceId,
                         QJsonDocument(part).toJson(QJsonDocument::Compact)});
        m_redis.command({"PEXPIRE", keyOf(streamId), kPartExpiryMs});
    }
}

void ListenerCensus::readParts(qint64 streamId)
{
    m_redis.command({"HGETALL", keyOf(streamId)}, [this, streamId](const redis::RedisReply &reply) {
        if (reply.isError())
            return;
        const qint64 now = nowMs();
        QList<Listener> others;
        for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2) {
            if (reply.elements[i].text == m_instanceId)
                continue;
            const QJsonObject part = QJsonDocument::fromJson(reply.elements[i + 1].text).object();
            if (now - part.value(u"at").toInteger() > kPartFreshMs)
                continue; // its instance stopped writing: gone
            for (const QJsonValue &listener : part.value(u"listeners").toArray())
                others.append(streaming::connectedListenerOf(listener.toObject()));
        }
        QMutexLocker lock(&m_mutex);
        if (m_askedAtMs.contains(streamId))
            m_elsewhere.insert(streamId, std::move(others));
    });
}

} // namespace veza::cluster
