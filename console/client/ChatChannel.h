#pragma once

#include "ReconnectingSocket.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <functional>

namespace veza::console {

// ChatChannel: the console on /chat as a moderator (docs/protocol.md): requests with their
// answers, the events of the rooms it follows, and the moderators' events (moderation actions,
// reports). It is the Chat channel, kept open by its ReconnectingSocket; after a reconnection
// its first request is `resume` with the last message id seen in each followed room, so the
// room views miss nothing and show nothing twice. Requests pending when the connection drops
// are answered with an error. GUI thread.
class ChatChannel : public QObject
{
    Q_OBJECT

public:
    using Answer = std::function<void(const QJsonObject &frame)>; // ack or error frame

    explicit ChatChannel(ConnectionStatus *status, QObject *parent = nullptr);

    void open(const QUrl &url, const QByteArray &token, const QSslConfiguration &tls);
    void close();
    bool isOpen() const { return m_authenticated; }

    // `done` runs on an ack or an error, unless `context` is gone.
    void request(const QString &type, QJsonObject fields, QObject *context, Answer done);
    // Joins the room (its latest messages come in the ack) and follows it across reconnects.
    void follow(const QString &room, QObject *context, Answer done);
    void unfollow(const QString &room);

Q_SIGNALS:
    // message, edited, deleted, reaction, typing, presence, moderation, report...
    void event(const QJsonObject &frame);
    void ready(); // authenticated (again): requests may go

private:
    void onText(const QString &text);
    void resume();
    void failPending(const QString &why);

    struct Pending
    {
        QPointer<QObject> context;
        bool hadContext = false;
        Answer done;
    };

    ReconnectingSocket m_link;
    bool m_authenticated = false;
    qint64 m_nextId = 1;
    QHash<QString, Pending> m_pending;
    QHash<QString, qint64> m_followed; // room -> last message id seen
};

} // namespace veza::console
