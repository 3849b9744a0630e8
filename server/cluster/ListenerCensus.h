#pragma once

#include "cluster/StreamCensus.h"
#include "redis/RedisConnection.h"
#include "streaming/ListenerRoster.h"

#include <QHash>
#include <QMutex>
#include <functional>

namespace veza::cluster {

// The listeners connected to the other instances, for a moderator's list and kicks (GET
// /api/streams/{name}/listeners?live=1 on any instance), on demand: a console asks every two
// seconds while it shows a stream. An instance asked for a stream's listeners marks it wanted
// in Redis for 10 s (`veza:streams:rosters-wanted`, a sorted set by expiry); once a second
// every instance writes its part of each wanted stream (`veza:streams:roster:<stream id>`, a
// hash by instance: at most kMaxPerInstance listeners, with the time written) and the
// instances that asked read the others' parts. So the first answer shows this instance's
// listeners only, and the others' follow within two seconds. Relays are left out here and
// there: each is a listener of the source's instance, not a person. Parts older than 3 s (an
// instance gone) are ignored; every key expires on its own. elsewhere() from any thread, the
// rest on the main thread.
class ListenerCensus
{
public:
    using Listener = streaming::ListenerRoster::Listener;
    static constexpr int kMaxPerInstance = 1000;

    // `census`: which connections are the other instances' relays.
    ListenerCensus(redis::RedisConnection &redis, QByteArray instanceId,
                   const StreamCensus &census);

    // The stream's listeners on the other instances, as last read; marks the stream wanted.
    QList<Listener> elsewhere(qint64 streamId);

    // Once a second: this instance's part of the wanted streams out (`mine`), the others' in.
    void exchange(const std::function<QList<Listener>(qint64 streamId)> &mine);

private:
    void writeParts(const QList<qint64> &wanted,
                    const std::function<QList<Listener>(qint64 streamId)> &mine);
    void readParts(qint64 streamId);

    redis::RedisConnection &m_redis;
    const QByteArray m_instanceId;
    const StreamCensus &m_census;
    mutable QMutex m_mutex;
    QHash<qint64, qint64> m_askedAtMs;          // guarded: streams asked of this instance
    QHash<qint64, QList<Listener>> m_elsewhere; // guarded: the others' parts, by stream
};

} // namespace veza::cluster
