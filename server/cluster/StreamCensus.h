#pragma once

#include "redis/RedisConnection.h"

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QSet>
#include <QString>
#include <optional>

namespace veza::cluster {

// The deployment's live streams and listeners, for GET /api/streams on any instance: once a
// second each instance writes what it carries (`veza:streams:instance:<id>`, a JSON object by
// stream name, expiring after 5 s so a dead instance drops out) and reads the others'. A relay
// is a listener of the source's instance: counted there and marked here, so it is subtracted
// from the deployment's total. Publishing on the main thread; others() from any thread.
class StreamCensus
{
public:
    // One instance's part of a stream.
    struct Part
    {
        int listeners = 0;
        bool relay = false; // pulled from the mount's instance
        qint64 bitrateBps = 0;
        qint64 startedAtMs = 0;
        QByteArray title; // on air, as the source set it (relays follow it)
        qint64 titleSetAtMs = 0;
    };
    // The other instances' parts of a stream, added up.
    struct Elsewhere
    {
        int listeners = 0;
        int relays = 0;
        bool carried = false; // an instance has the source (or is in its grace period)
        qint64 bitrateBps = 0;
        qint64 startedAtMs = 0;
        QByteArray title; // the carrying instance's title on air
        qint64 titleSetAtMs = 0;
    };

    StreamCensus(redis::RedisConnection &redis, QByteArray instanceId);

    // Main thread, once a second: this instance's streams out, the others' in.
    void publish(const QHash<QString, Part> &mine);
    std::optional<Elsewhere> elsewhere(const QString &name) const;
    // Whether a listener with this User-Agent is another live instance's relay ("veza-relay/"
    // and the id of an instance in the census: a listener cannot pass for one to hide from
    // moderators, instance ids are never shown to clients).
    bool isRelay(const QString &userAgent) const;

    static QByteArray keyOf(const QByteArray &instanceId);

private:
    void readOthers();
    void replace(QHash<QString, Elsewhere> others);

    redis::RedisConnection &m_redis;
    const QByteArray m_instanceId;
    mutable QMutex m_mutex;
    QHash<QString, Elsewhere> m_elsewhere; // guarded by m_mutex
    QSet<QByteArray> m_otherInstances;     // guarded by m_mutex
};

} // namespace veza::cluster
