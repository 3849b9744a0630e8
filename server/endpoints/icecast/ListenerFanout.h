#pragma once

#include "streaming/ListenerRoster.h"
#include "streaming/LiveStream.h"

#include <QHash>
#include <QObject>
#include <vector>

namespace veza::streaming {
struct StreamMetrics;
}

namespace veza::endpoints {

class ListenerSession;

// The HTTP listeners of one network thread, by stream: the StreamSink a LiveStream queues its
// chunks to, one queued call per chunk per thread whatever the number of listeners. Delivery
// writes the chunk to each listener and drops those that do not keep up. Lives on its network
// thread; post(), postEnd() and disconnectListener() are the only members called from elsewhere.
class ListenerFanout final : public QObject,
                             public streaming::StreamSink,
                             public streaming::ListenerRoster::Host
{
    Q_OBJECT

public:
    explicit ListenerFanout(streaming::StreamMetrics &metrics, QObject *parent = nullptr);

    void add(ListenerSession *listener);
    void remove(ListenerSession *listener);

    void post(const std::shared_ptr<streaming::LiveStream> &stream, const QByteArray &chunk,
              qint64 endOffset) override;
    void postEnd(const std::shared_ptr<streaming::LiveStream> &stream) override;
    void disconnectListener(qint64 id) override;

private:
    using List = std::vector<ListenerSession *>;

    void deliver(const std::shared_ptr<streaming::LiveStream> &stream, const QByteArray &chunk,
                 qint64 endOffset);
    void end(const std::shared_ptr<streaming::LiveStream> &stream);
    void compact(const streaming::LiveStream *stream);
    void kick(qint64 rosterId);

    streaming::StreamMetrics &m_metrics;
    QHash<const streaming::LiveStream *, List> m_listeners;
    const streaming::LiveStream *m_walking = nullptr; // removals leave holes while walked
};

} // namespace veza::endpoints
