#pragma once

#include <QByteArray>
#include <QHashFunctions>
#include <QString>
#include <QStringList>
#include <functional>

namespace veza::chat {

// One client connection, wherever it lives: the network thread that owns it and its id there.
struct ConnectionRef
{
    int worker = -1;
    quint64 id = 0;

    friend bool operator==(const ConnectionRef &a, const ConnectionRef &b)
    {
        return a.worker == b.worker && a.id == b.id;
    }
};

inline size_t qHash(const ConnectionRef &ref, size_t seed = 0) noexcept
{
    return qHashMulti(seed, ref.worker, ref.id);
}

// Who is on a connection, as established from a verified access token.
struct Principal
{
    QString externalId; // the token's `sub`
    QString name;       // display name
    QStringList roles;
};

// How the chat service reaches connections without knowing sockets or threads. Called on
// the service's thread; an implementation hands each call to the connection's network thread.
// Calls for one network thread arrive there in the order they were made, so an ack sent after
// a subscribe is never overtaken by it.
class ChatOutbox
{
public:
    virtual ~ChatOutbox() = default;

    virtual void send(const ConnectionRef &connection, const QByteArray &frame) = 0;
    // A message event for one connection (a replay): like publish, it is dropped when the
    // connection already got this seq of the room, so replays never deliver a message twice.
    virtual void sendMessage(const ConnectionRef &connection, qint64 roomId, qint64 seq,
                             const QByteArray &frame) = 0;
    // floorSeq > 0: messages of this room with a seq at or below it are not delivered to this
    // connection (it received them through a replay).
    virtual void subscribe(const ConnectionRef &connection, qint64 roomId, qint64 floorSeq = 0) = 0;
    virtual void unsubscribe(const ConnectionRef &connection, qint64 roomId) = 0;
    // To every connection subscribed to the room, on every network thread.
    // `seq`: the message's seq for message events (0 for other events), for the floors above.
    // `written`, when given, runs once every receiver's frame has been written to its socket
    // (on whichever network thread finishes last; it must be thread-safe).
    virtual void publish(qint64 roomId, const QByteArray &frame, qint64 seq = 0,
                         std::function<void()> written = {}) = 0;
    virtual void close(const ConnectionRef &connection, int closeCode, const QString &reason) = 0;
    // True while room events wait in bulk to be written (the receivers' side cannot keep up
    // with the senders): new sends are then turned away with a retry delay, so memory stays
    // bounded and nothing already acknowledged is dropped.
    virtual bool backlogged() const = 0;
};

} // namespace veza::chat
