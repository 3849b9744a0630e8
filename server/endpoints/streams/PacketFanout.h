#pragma once

#include "streaming/ListenerRoster.h"
#include "streaming/PacketFeed.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <vector>

class QTimer;

namespace veza::endpoints {

class ListenSession;
struct StreamSocketMetrics;

// The WebSocket listeners of one network thread, by Opus rendition: the PacketSink the
// renditions' feeds post to. Packets that arrive between two passes of the event loop go out
// together: each is framed once (same bytes for every listener of a rendition) and each
// listener gets one write for all of them. Lives on its network thread; post(), postEnd() and
// disconnectListener() are the only members called from elsewhere.
class PacketFanout final : public QObject,
                           public streaming::PacketSink,
                           public streaming::ListenerRoster::Host
{
    Q_OBJECT

public:
    explicit PacketFanout(StreamSocketMetrics &metrics, QObject *parent = nullptr);
    ~PacketFanout() override;

    // False when the feed ended.
    bool add(ListenSession *listener, const std::shared_ptr<streaming::PacketFeed> &feed);
    void remove(ListenSession *listener, const std::shared_ptr<streaming::PacketFeed> &feed);

    void post(const std::shared_ptr<streaming::PacketFeed> &feed,
              streaming::PacketBatch batch) override;
    void postEnd(const std::shared_ptr<streaming::PacketFeed> &feed) override;
    void disconnectListener(qint64 id) override;

    // The 16-byte header in front of each packet (docs/protocol.md): version, rendition
    // index, sequence number, capture time.
    static constexpr qsizetype kHeaderBytes = 16;

private:
    using List = std::vector<ListenSession *>;
    struct Pending
    {
        std::shared_ptr<streaming::PacketFeed> feed;
        streaming::PacketBatch batch; // null: the feed ended
    };

    void deliverPending();
    void deliver(const std::shared_ptr<streaming::PacketFeed> &feed,
                 const std::vector<streaming::PacketBatch> &batches);
    void end(const std::shared_ptr<streaming::PacketFeed> &feed);
    void compact(const streaming::PacketFeed *feed);
    void reportQuality();
    void kick(qint64 rosterId);

    StreamSocketMetrics &m_metrics;
    QHash<const streaming::PacketFeed *, List> m_listeners;
    const streaming::PacketFeed *m_walking = nullptr; // removals leave holes while walked
    QTimer *m_qualityTimer;
    int m_reportedListeners = 0;
    int m_reportedDegraded = 0;

    QMutex m_pendingMutex; // post() runs on encoder and pipeline threads
    std::vector<Pending> m_pending;
    bool m_scheduled = false;
};

} // namespace veza::endpoints
