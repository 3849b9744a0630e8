#include "ChatChannel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>

namespace veza::console {
namespace {

constexpr quint16 kCloseUnauthorized = 4401;
constexpr quint16 kCloseForbidden = 4403;

} // namespace

ChatChannel::ChatChannel(ConnectionStatus *status, QObject *parent)
    : QObject(parent)
    , m_status(status)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &ChatChannel::connectNow);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &ChatChannel::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, &ChatChannel::onClosed);
    // A connection that never opened (the server is down) ends with an error, no disconnected().
    connect(&m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (m_socket.state() != QAbstractSocket::ConnectedState && !m_retry.isActive())
                    onClosed();
            });
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        // Authenticated by the header; the first request settles the session.
        m_authenticated = true;
        m_backoff.reset();
        m_status->set(Channel::Chat, ChannelStatus::State::Connected);
        if (m_everConnected)
            resume();
        m_everConnected = true;
        Q_EMIT ready();
    });
}

ChatChannel::~ChatChannel()
{
    // The socket outlives the members declared after it: its last signals must not reach us.
    QObject::disconnect(&m_socket, nullptr, this, nullptr);
}

void ChatChannel::open(const QUrl &url, const QByteArray &token, const QSslConfiguration &tls)
{
    m_url = url;
    m_token = token;
    m_tls = tls;
    m_wanted = true;
    m_everConnected = false;
    m_followed.clear();
    m_backoff.reset();
    m_retry.stop();
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.abort();
    connectNow();
}

void ChatChannel::close()
{
    m_wanted = false;
    m_retry.stop();
    m_socket.close();
    m_authenticated = false;
    failPending(tr("disconnected"));
    m_status->set(Channel::Chat, ChannelStatus::State::Disconnected, {});
}

void ChatChannel::connectNow()
{
    if (!m_wanted)
        return;
    m_status->set(Channel::Chat, ChannelStatus::State::Connecting,
                  m_backoff.attempts() > 0 ? tr("reconnecting") : QString());
    QNetworkRequest request(m_url);
    request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setRawHeader("Sec-WebSocket-Protocol", "veza.chat.v1");
    m_socket.setSslConfiguration(m_tls);
    m_socket.open(request);
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
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact)));
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

void ChatChannel::onClosed()
{
    if (m_retry.isActive())
        return; // already waiting to retry (an error came before the disconnection)
    m_authenticated = false;
    const quint16 code = quint16(m_socket.closeCode());
    const QString serverReason = m_socket.closeReason();
    failPending(serverReason.isEmpty() ? tr("disconnected") : serverReason);
    if (code == kCloseUnauthorized || code == kCloseForbidden) {
        m_wanted = false;
        m_status->set(Channel::Chat, ChannelStatus::State::Disconnected,
                      code == kCloseUnauthorized
                          ? tr("token refused (%1): paste a new one").arg(serverReason)
                          : tr("forbidden (%1)").arg(serverReason));
        return;
    }
    if (!m_wanted)
        return;
    const QString why = serverReason.isEmpty() ? m_socket.errorString() : serverReason;
    const int delay = m_backoff.nextDelayMs();
    m_status->set(Channel::Chat, ChannelStatus::State::Disconnected,
                  tr("%1; retrying in %2 s").arg(why).arg((delay + 999) / 1000));
    m_retry.start(delay);
}

} // namespace veza::console
