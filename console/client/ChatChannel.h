#pragma once

#include "ChannelStatus.h"
#include "ReconnectBackoff.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <functional>

namespace veza::console {

// ChatChannel: the console on /chat as a moderator (docs/protocol.md): requests with their
// answers, the events of the rooms it follows, and the moderators' events (moderation actions,
// reports). After a reconnection its first request is `resume` with the last message id seen in
// each followed room, so the room views miss nothing and show nothing twice. Requests pending
// when the connection drops are answered with an error. Its state is the Chat channel's; a
// refused token (4401) or role (4403) stops it. GUI thread.
class ChatChannel : public QObject
{
    Q_OBJECT

public:
    using Answer = std::function<void(const QJsonObject &frame)>; // ack or error frame

    explicit ChatChannel(ConnectionStatus *status, QObject *parent = nullptr);
    ~ChatChannel() override;

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
    void connectNow();
    void onText(const QString &text);
    void onClosed();
    void resume();
    void failPending(const QString &why);

    struct Pending
    {
        QPointer<QObject> context;
        bool hadContext = false;
        Answer done;
    };

    ConnectionStatus *m_status;
    QWebSocket m_socket;
    QUrl m_url;
    QByteArray m_token;
    QSslConfiguration m_tls;
    ReconnectBackoff m_backoff;
    QTimer m_retry;
    bool m_wanted = false;
    bool m_authenticated = false;
    bool m_everConnected = false;
    qint64 m_nextId = 1;
    QHash<QString, Pending> m_pending;
    QHash<QString, qint64> m_followed; // room -> last message id seen
};

} // namespace veza::console
