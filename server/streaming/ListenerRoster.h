#pragma once

#include "streaming/ListenerLog.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QString>
#include <atomic>
#include <memory>

namespace veza::streaming {

// ListenerRoster: the listeners connected now, on every network thread, by stream: what
// GET /api/streams/{name}/listeners?live=1 lists and what a moderator's kick reaches.
//
// Threads: every member is thread-safe (one short lock; nothing slow under it). A listener's
// session joins on its network thread and holds the Membership it gets; the Membership counts
// the bytes sent (relaxed atomics, its own and its stream's, nothing locked) and leaves the
// roster when destroyed. A kick is handed to the listener's Host, which ends it on its own
// thread.
class ListenerRoster
{
    struct Entry;

public:
    // Where a listener lives: its network thread's fan-out.
    class Host
    {
    public:
        virtual ~Host() = default;
        // Any thread: ends listener `id` on the host's thread (nothing if it left meanwhile).
        virtual void disconnectListener(qint64 id) = 0;
    };

    // A listener as the API shows it.
    struct Listener
    {
        qint64 id = 0;
        ListenerKind kind = ListenerKind::Http;
        QString rendition; // renditionOfLiveStream(), or "opus64"... for /listen
        QString codec;     // opus, mp3, aac, vorbis, flac, or the container (ogg, webm)
        qint64 connectedAtMs = 0;
        qint64 bytes = 0;
        QString address;
        QString userAgent;
    };

    // A listener's place in the roster, owned by its session. Move-only; leaves on destruction.
    class Membership
    {
    public:
        Membership() = default;
        Membership(Membership &&other) noexcept;
        Membership &operator=(Membership &&other) noexcept;
        Membership(const Membership &) = delete;
        Membership &operator=(const Membership &) = delete;
        ~Membership() { leave(); }

        explicit operator bool() const { return m_entry != nullptr; }
        qint64 id() const;
        void addBytes(qint64 bytes);
        // A /listen listener moved to another rung of the ladder.
        void setRendition(const QString &rendition);
        // An adaptive (/listen) listener's quality, as its fan-out measures it every second.
        void setDegraded(bool degraded);
        void leave();

    private:
        friend class ListenerRoster;
        ListenerRoster *m_roster = nullptr;
        std::shared_ptr<Entry> m_entry;
    };

    ListenerRoster() = default;
    ListenerRoster(const ListenerRoster &) = delete;
    ListenerRoster &operator=(const ListenerRoster &) = delete;

    // `visit`: the listener as it connects (stream, kind, rendition, time, address, agent).
    Membership join(const ListenerRecord &visit, QString codec, Host *host);
    // The stream's listeners, the earliest to connect first.
    QList<Listener> listeners(qint64 streamId) const;
    // How many of the stream's listeners have their quality measured (adaptive /listen ones)
    // and how many of those are degraded (below their target rung, or falling behind).
    struct Quality
    {
        int measured = 0;
        int degraded = 0;
    };
    Quality quality(qint64 streamId) const;
    // Asks the listener's host to end it. False when no such listener of that stream.
    bool disconnect(qint64 streamId, qint64 listenerId);
    int size() const;
    // Ids from now on start at base + 1: with several instances each takes its own range, so
    // a listener's id names it in the whole deployment (a moderator's kick). Before any join.
    void setIdBase(qint64 base);
    // Bytes sent to the stream's listeners, those gone included, since its first listener
    // joined or forgetBytes(): what stream_listener_bytes_total counts.
    qint64 bytesSent(qint64 streamId) const;
    // The stream ended: its total starts again from 0 when it next has listeners.
    void forgetBytes(qint64 streamId);

private:
    struct Entry
    {
        qint64 streamId = 0;
        Listener listener; // bytes and rendition aside, fixed at join
        Host *host = nullptr;
        std::atomic<qint64> bytes{0};
        std::atomic<bool> measured{false};
        std::atomic<bool> degraded{false};
        std::shared_ptr<std::atomic<qint64>> streamBytes; // shared by the stream's listeners
    };

    void remove(const Entry &entry);

    mutable QMutex m_mutex;
    QHash<qint64, QHash<qint64, std::shared_ptr<Entry>>> m_byStream; // stream id -> id -> entry
    QHash<qint64, std::shared_ptr<std::atomic<qint64>>> m_bytesByStream;
    qint64 m_nextId = 1;
    int m_size = 0;
};

// A connected listener as GET /api/streams/{name}/listeners?live=1 shows it, and back (the
// other instances' listeners arrive in this form).
QJsonObject connectedListenerJson(const ListenerRoster::Listener &listener);
ListenerRoster::Listener connectedListenerOf(const QJsonObject &object);

// The codec an HTTP listener of this rendition (renditionOfLiveStream()) hears: the encoder
// of a rendition (opus128 -> opus, mp3, aac), the container's type for the source's own bytes
// (mp3, aac, ogg, webm, flac).
QString codecOfRendition(const QString &rendition, const QByteArray &contentType);

} // namespace veza::streaming
