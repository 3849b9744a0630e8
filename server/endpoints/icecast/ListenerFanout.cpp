#include "endpoints/icecast/ListenerFanout.h"

#include "endpoints/icecast/ListenerSession.h"
#include "streaming/StreamMetrics.h"

namespace veza::endpoints {

using streaming::LiveStream;

ListenerFanout::ListenerFanout(streaming::StreamMetrics &metrics, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
{
}

void ListenerFanout::add(ListenerSession *listener)
{
    List &list = m_listeners[listener->stream()];
    listener->setSlot(list.size());
    list.push_back(listener);
}

void ListenerFanout::remove(ListenerSession *listener)
{
    auto it = m_listeners.find(listener->stream());
    if (it == m_listeners.end())
        return;
    List &list = it.value();
    const size_t slot = listener->slot();
    if (slot >= list.size() || list[slot] != listener)
        return;
    if (m_walking == listener->stream()) {
        list[slot] = nullptr; // compacted once the walk is over
        return;
    }
    list[slot] = list.back();
    list[slot]->setSlot(slot);
    list.pop_back();
    if (list.empty())
        m_listeners.erase(it);
}

void ListenerFanout::post(const std::shared_ptr<LiveStream> &stream, const QByteArray &chunk,
                          qint64 endOffset)
{
    QMetaObject::invokeMethod(
        this, [this, stream, chunk, endOffset] { deliver(stream, chunk, endOffset); },
        Qt::QueuedConnection);
}

void ListenerFanout::postEnd(const std::shared_ptr<LiveStream> &stream)
{
    QMetaObject::invokeMethod(
        this, [this, stream] { end(stream); }, Qt::QueuedConnection);
}

void ListenerFanout::disconnectListener(qint64 id)
{
    QMetaObject::invokeMethod(
        this, [this, id] { kick(id); }, Qt::QueuedConnection);
}

// Rare (a moderator's hand): a walk over this thread's listeners is cheap enough.
void ListenerFanout::kick(qint64 rosterId)
{
    for (const List &list : std::as_const(m_listeners)) {
        for (ListenerSession *listener : list) {
            if (listener && listener->rosterId() == rosterId) {
                m_metrics.listenersDropped.labels({QStringLiteral("kicked")}).inc();
                return listener->kick(); // removes it from `list`: stop walking
            }
        }
    }
}

void ListenerFanout::deliver(const std::shared_ptr<LiveStream> &stream, const QByteArray &chunk,
                             qint64 endOffset)
{
    auto it = m_listeners.find(stream.get());
    if (it == m_listeners.end())
        return;
    const QByteArray title = stream->title();
    std::vector<ListenerSession *> slow;
    qint64 delivered = 0;
    m_walking = stream.get();
    const List &list = it.value();
    for (size_t i = 0; i < list.size(); ++i) { // a write may end a listener: index, not iterator
        ListenerSession *listener = list[i];
        if (!listener)
            continue;
        const qint64 written = listener->deliver(chunk, endOffset, title);
        if (written < 0)
            slow.push_back(listener);
        else
            delivered += written;
    }
    m_walking = nullptr;
    compact(stream.get());
    stream->addBytesOut(delivered);
    for (ListenerSession *listener : slow) {
        m_metrics.listenersDropped.labels({QStringLiteral("slow")}).inc();
        listener->drop();
    }
}

void ListenerFanout::end(const std::shared_ptr<LiveStream> &stream)
{
    const auto it = m_listeners.constFind(stream.get());
    if (it == m_listeners.cend())
        return;
    const List list = it.value(); // closing removes them
    for (ListenerSession *listener : list) {
        if (listener)
            listener->finish();
    }
}

void ListenerFanout::compact(const LiveStream *stream)
{
    auto it = m_listeners.find(stream);
    if (it == m_listeners.end())
        return;
    List &list = it.value();
    size_t kept = 0;
    for (ListenerSession *listener : list) {
        if (!listener)
            continue;
        listener->setSlot(kept);
        list[kept++] = listener;
    }
    list.resize(kept);
    if (list.empty())
        m_listeners.erase(it);
}

} // namespace veza::endpoints
