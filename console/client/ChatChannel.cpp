#include "ChatChannel.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace veza::console {

ChatChannel::ChatChannel(ConnectionStatus *status, QObject *parent)
    : QObject(parent)
    , m_link(status, Channel::Chat, true)
{
    connect(&m_link, &ReconnectingSocket::text, this, &ChatChannel::onText);
    // Authenticated by the header: the first request settles the session.
    connect(&m_link, &ReconnectingSocket::opened, this, [this](bool again) {
        m_authenticated = true;
        if (again)
            resume();
        Q_EMIT ready();
    });
    connect(&m_link, &ReconnectingSocket::dropped, this, [this](const QString &why) {
        m_authenticated = false;
        failPending(why);
    });
}

void ChatChannel::open(const QUrl &url, const QByteArray &token, const QSslConfiguration &tls)
{
    m_followed.clear();
    m_link.open(url, token, tls, QByteArrayLiteral("veza.chat.v1"));
}

void ChatChannel::close()
{
    m_link.close();
    m_authenticated = false;
    failPending(tr("disconnected"));
}

void ChatChannel::request(const QString &type, QJsonObject fields, QObject *context, Answer done)
{
    if (!m_authenticated) {
        if (done)
            done({{QStringLiteral("type"), QStringLiteral("error")},
                  {QStringLiteral("code"), QStringLiteral("unavailable")},
                  {QStringLiteral("message"), tr("the chat is not connected")}});
        return;
    }
    const QString id = QStringLiteral("c%1").arg(m_nextId++);
    fields.insert(QStringLiteral("type"), type);
    fields.insert(QStringLiteral("id"), id);
    m_pending.insert(id, Pending{context, context != nullptr, std::move(done)});
    m_link.send(fields);
}

void ChatChannel::follow(const QString &room, QObject *context, Answer done)
{
    request(QStringLiteral("join"), {{QStringLiteral("room"), room}}, context,
            [this, room, done](const QJsonObject &answer) {
                if (answer.value(u"type").toString() == u"ack")
                    m_followed.insert(room, answer.value(u"room")[u"last_message_id"].toInteger());
                if (done)
                    done(answer);
            });
}

void ChatChannel::unfollow(const QString &room)
{
    m_followed.remove(room);
}

void ChatChannel::resume()
{
    QJsonArray rooms;
    for (auto it = m_followed.cbegin(); it != m_followed.cend(); ++it)
        rooms.append(
            QJsonObject{{QStringLiteral("room"), it.key()}, {QStringLiteral("after"), it.value()}});
    if (!rooms.isEmpty())
        request(QStringLiteral("resume"), {{QStringLiteral("rooms"), rooms}}, this, {});
}

void ChatChannel::onText(const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(u"type").toString();
    const QString id = frame.value(u"id").toString();
    if ((type == u"ack" || type == u"error") && m_pending.contains(id)) {
        const Pending pending = m_pending.take(id);
        if (pending.done && (!pending.hadContext || pending.context))
            pending.done(frame);
        return;
    }
    if (type == u"message") {
        const QString room = frame.value(u"room").toString();
        if (m_followed.contains(room))
            m_followed[room] =
                std::max(m_followed.value(room), frame.value(u"message_id").toInteger());
    }
    if (!type.isEmpty() && type != u"pong")
        Q_EMIT event(frame);
}

void ChatChannel::failPending(const QString &why)
{
    const QHash<QString, Pending> pending = std::exchange(m_pending, {});
    for (const Pending &request : pending) {
        if (request.done && (!request.hadContext || request.context))
            request.done({{QStringLiteral("type"), QStringLiteral("error")},
                          {QStringLiteral("code"), QStringLiteral("unavailable")},
                          {QStringLiteral("message"), why}});
    }
}

} // namespace veza::console
