#pragma once

#include "cluster/ListenerCensus.h"
#include "cluster/MountLeases.h"
#include "cluster/StreamCensus.h"
#include "cluster/StreamControlMessages.h"
#include "metrics/MetricsRegistry.h"
#include "redis/RedisConnection.h"
#include "redis/RedisSubscriber.h"
#include "streaming/StreamCluster.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

namespace veza::streaming {
class StreamHub;
}

namespace veza::cluster {

class RelayPull;

// Live streams across the deployment's instances (REDIS_URL), on a Redis connection of its
// own: the mount leases (MountLeases: one source per mount in the deployment), the relays that
// bring a stream carried elsewhere to this instance's listeners (RelayPull, one per stream at
// most), and the census behind GET /api/streams (StreamCensus). Once a second it renews the
// leases of the streams live here, releases the others and publishes its streams. Lives on
// the main thread, beside the hub; the StreamCluster members and tellPeers() may be called from
// any thread. The live controls asked of this instance (end, cut, key rotated, described,
// effects, title, listener kick) are told to the others on a subscription of its own, so they
// reach the instance carrying the source (or the listener) and those relaying it.
class ClusterStreams : public QObject, public streaming::StreamCluster
{
    Q_OBJECT

public:
    struct Options
    {
        redis::RedisConnection::Options redis;
        QByteArray instanceId;
        int leaseTtlMs = 10000;   // the grace period, 2 s at least
        int relayLingerMs = 5000; // a relay without listeners lasts this long
    };

    ClusterStreams(Options options, streaming::StreamHub &hub, metrics::MetricsRegistry &metrics,
                   QObject *parent = nullptr);
    ~ClusterStreams() override;

    // Main thread, before any source or listener arrives: where the others reach this instance.
    void start(const QByteArray &advertiseUrl);
    const StreamCensus &census() const { return m_census; }
    // The stream's listeners on the other instances (ListenerCensus). Any thread.
    QList<streaming::ListenerRoster::Listener> listenersElsewhere(qint64 streamId)
    {
        return m_listenerCensus.elsewhere(streamId);
    }
    // A graceful shutdown began: the relays end now (their local listeners with them).
    void stopRelays();

    void claimMount(const QString &name, qint64 streamId, QObject *context,
                    std::function<void(bool granted)> done) override;
    void relayMount(const QString &name, QObject *context,
                    std::function<void(bool live)> done) override;
    void retitle(const QString &name, const QByteArray &title, QObject *context,
                 std::function<void(bool told)> done) override;
    // A live control this instance applied: the others apply it to their part. Not retried
    // while Redis is out of reach (each instance then serves its own connections).
    void tellPeers(const StreamControl &control);

signals:
    // Redis reachable again (`problem` empty) or not.
    void redisProblem(const QString &problem);

private:
    using Waiter = std::pair<QPointer<QObject>, std::function<void(bool)>>;

    void relayNow(const QString &name, const Waiter &waiter);
    void startRelay(const QString &name, const MountLeases::Holder &holder);
    void answerWaiters(const QString &name, bool live);
    void everySecond();
    void applyPeerControl(const QByteArray &payload);
    void followSourceTitles();

    const Options m_options;
    streaming::StreamHub &m_hub;
    // Gone first: the commands still waiting are answered (with an error) while their
    // callbacks' objects below are still there.
    std::unique_ptr<redis::RedisConnection> m_redis;
    MountLeases m_leases;
    StreamCensus m_census;
    ListenerCensus m_listenerCensus;
    redis::RedisSubscriber m_controls;
    QHash<QString, QList<Waiter>> m_waiting; // relays being looked up or connecting
    QHash<QString, RelayPull *> m_relays;    // children
    QTimer m_clock;
    metrics::Family<metrics::Counter> &m_claims; // {result}
    metrics::Counter &m_leasesLost;
    metrics::Counter &m_relaysStarted;
    metrics::Gauge &m_relaysActive;
};

} // namespace veza::cluster
