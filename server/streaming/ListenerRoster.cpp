#include "streaming/ListenerRoster.h"

#include <algorithm>

namespace veza::streaming {

ListenerRoster::Membership::Membership(Membership &&other) noexcept
    : m_roster(std::exchange(other.m_roster, nullptr))
    , m_entry(std::move(other.m_entry))
{
}

ListenerRoster::Membership &ListenerRoster::Membership::operator=(Membership &&other) noexcept
{
    if (this != &other) {
        leave();
        m_roster = std::exchange(other.m_roster, nullptr);
        m_entry = std::move(other.m_entry);
    }
    return *this;
}

qint64 ListenerRoster::Membership::id() const
{
    return m_entry ? m_entry->listener.id : 0;
}

void ListenerRoster::Membership::addBytes(qint64 bytes)
{
    if (!m_entry)
        return;
    m_entry->bytes.fetch_add(bytes, std::memory_order_relaxed);
    m_entry->streamBytes->fetch_add(bytes, std::memory_order_relaxed);
}

void ListenerRoster::Membership::setRendition(const QString &rendition)
{
    if (!m_entry)
        return;
    QMutexLocker lock(&m_roster->m_mutex); // listeners() copies it under the same lock
    m_entry->listener.rendition = rendition;
}

void ListenerRoster::Membership::setDegraded(bool degraded)
{
    if (!m_entry)
        return;
    m_entry->degraded.store(degraded, std::memory_order_relaxed);
    m_entry->measured.store(true, std::memory_order_relaxed);
}

void ListenerRoster::Membership::leave()
{
    if (!m_entry)
        return;
    m_roster->remove(*m_entry);
    m_entry.reset();
    m_roster = nullptr;
}

ListenerRoster::Membership ListenerRoster::join(const ListenerRecord &visit, QString codec,
                                                Host *host)
{
    auto entry = std::make_shared<Entry>();
    entry->streamId = visit.streamId;
    entry->host = host;
    Listener &listener = entry->listener;
    listener.kind = visit.kind;
    listener.rendition = visit.rendition;
    listener.codec = std::move(codec);
    listener.connectedAtMs = visit.connectedAtMs;
    listener.address = visit.address;
    listener.userAgent = visit.userAgent;
    {
        QMutexLocker lock(&m_mutex);
        listener.id = m_nextId++;
        std::shared_ptr<std::atomic<qint64>> &streamBytes = m_bytesByStream[visit.streamId];
        if (!streamBytes)
            streamBytes = std::make_shared<std::atomic<qint64>>(0);
        entry->streamBytes = streamBytes;
        m_byStream[visit.streamId].insert(listener.id, entry);
        ++m_size;
    }
    Membership membership;
    membership.m_roster = this;
    membership.m_entry = std::move(entry);
    return membership;
}

void ListenerRoster::remove(const Entry &entry)
{
    QMutexLocker lock(&m_mutex);
    auto stream = m_byStream.find(entry.streamId);
    if (stream == m_byStream.end() || !stream->remove(entry.listener.id))
        return;
    --m_size;
    if (stream->isEmpty())
        m_byStream.erase(stream);
}

QList<ListenerRoster::Listener> ListenerRoster::listeners(qint64 streamId) const
{
    QList<Listener> result;
    {
        QMutexLocker lock(&m_mutex);
        const auto stream = m_byStream.constFind(streamId);
        if (stream == m_byStream.cend())
            return result;
        result.reserve(stream->size());
        for (const std::shared_ptr<Entry> &entry : *stream) {
            result.append(entry->listener);
            result.last().bytes = entry->bytes.load(std::memory_order_relaxed);
        }
    }
    // Ids grow with time: the earliest to connect first.
    std::sort(result.begin(), result.end(),
              [](const Listener &a, const Listener &b) { return a.id < b.id; });
    return result;
}

ListenerRoster::Quality ListenerRoster::quality(qint64 streamId) const
{
    Quality quality;
    QMutexLocker lock(&m_mutex);
    const auto stream = m_byStream.constFind(streamId);
    if (stream == m_byStream.cend())
        return quality;
    for (const std::shared_ptr<Entry> &entry : *stream) {
        if (!entry->measured.load(std::memory_order_relaxed))
            continue;
        ++quality.measured;
        quality.degraded += entry->degraded.load(std::memory_order_relaxed) ? 1 : 0;
    }
    return quality;
}

void ListenerRoster::setIdBase(qint64 base)
{
    QMutexLocker lock(&m_mutex);
    m_nextId = base + 1;
}

bool ListenerRoster::disconnect(qint64 streamId, qint64 listenerId)
{
    std::shared_ptr<Entry> entry;
    {
        QMutexLocker lock(&m_mutex);
        entry = m_byStream.value(streamId).value(listenerId);
    }
    if (!entry)
        return false;
    entry->host->disconnectListener(listenerId); // queues: never under our lock
    return true;
}

int ListenerRoster::size() const
{
    QMutexLocker lock(&m_mutex);
    return m_size;
}

qint64 ListenerRoster::bytesSent(qint64 streamId) const
{
    QMutexLocker lock(&m_mutex);
    const auto bytes = m_bytesByStream.constFind(streamId);
    return bytes == m_bytesByStream.cend() ? 0 : (*bytes)->load(std::memory_order_relaxed);
}

void ListenerRoster::forgetBytes(qint64 streamId)
{
    QMutexLocker lock(&m_mutex);
    m_bytesByStream.remove(streamId);
}

QJsonObject connectedListenerJson(const ListenerRoster::Listener &listener)
{
    return {{QStringLiteral("id"), listener.id},
            {QStringLiteral("kind"), listenerKindText(listener.kind)},
            {QStringLiteral("rendition"), listener.rendition},
            {QStringLiteral("codec"), listener.codec},
            {QStringLiteral("connected_at"), listener.connectedAtMs},
            {QStringLiteral("bytes"), listener.bytes},
            {QStringLiteral("user_agent"), listener.userAgent},
            {QStringLiteral("address"), listener.address}};
}

ListenerRoster::Listener connectedListenerOf(const QJsonObject &object)
{
    ListenerRoster::Listener listener;
    listener.id = object.value(u"id").toInteger();
    listener.kind = object.value(u"kind").toString() == listenerKindText(ListenerKind::WebSocket)
                        ? ListenerKind::WebSocket
                        : ListenerKind::Http;
    listener.rendition = object.value(u"rendition").toString();
    listener.codec = object.value(u"codec").toString();
    listener.connectedAtMs = object.value(u"connected_at").toInteger();
    listener.bytes = object.value(u"bytes").toInteger();
    listener.userAgent = object.value(u"user_agent").toString();
    listener.address = object.value(u"address").toString();
    return listener;
}

QString codecOfRendition(const QString &rendition, const QByteArray &contentType)
{
    // The Opus ladder's rungs carry their bitrate (opus64); mp3 and aac are named alone.
    if (rendition.startsWith(QLatin1StringView("opus")))
        return QStringLiteral("opus");
    if (rendition != QLatin1StringView("source"))
        return rendition;
    const QByteArray type = contentType.toLower();
    if (type == "audio/mpeg" || type == "audio/mp3")
        return QStringLiteral("mp3");
    if (type == "audio/aac" || type == "audio/aacp")
        return QStringLiteral("aac");
    if (type == "audio/flac")
        return QStringLiteral("flac");
    if (type.startsWith("audio/ogg") || type == "application/ogg")
        return QStringLiteral("ogg");
    if (type == "audio/webm")
        return QStringLiteral("webm");
    return QString::fromLatin1(type);
}

} // namespace veza::streaming
