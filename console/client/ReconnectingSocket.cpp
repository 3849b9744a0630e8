#include "ReconnectingSocket.h"

#include <QJsonDocument>
#include <QNetworkRequest>

namespace veza::console {
namespace {

constexpr quint16 kCloseUnauthorized = 4401;
constexpr quint16 kCloseForbidden = 4403;

} // namespace

ReconnectingSocket::ReconnectingSocket(ConnectionStatus *status, Channel channel, bool readyOnOpen,
                                       QObject *parent)
    : QObject(parent)
    , m_status(status)
    , m_channel(channel)
    , m_readyOnOpen(readyOnOpen)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &ReconnectingSocket::connectNow);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &ReconnectingSocket::text);
    connect(&m_socket, &QWebSocket::disconnected, this, &ReconnectingSocket::onClosed);
    // A connection that never opened (the server is down) ends with an error, no disconnected().
    connect(&m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (m_socket.state() != QAbstractSocket::ConnectedState && !m_retry.isActive())
                    onClosed();
            });
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        if (m_readyOnOpen)
            markConnected();
        else
            m_status->set(m_channel, ChannelStatus::State::Connecting, tr("authenticating"));
        Q_EMIT opened(std::exchange(m_everOpened, true));
    });
}

ReconnectingSocket::~ReconnectingSocket()
{
    // The socket outlives the members declared after it: its last signals must not reach us.
    QObject::disconnect(&m_socket, nullptr, this, nullptr);
}

void ReconnectingSocket::open(const QUrl &url, const QByteArray &token,
                              const QSslConfiguration &tls, const QByteArray &subprotocol)
{
    m_url = url;
    m_token = token;
    m_tls = tls;
    m_subprotocol = subprotocol;
    m_wanted = true;
    m_everOpened = false;
    m_backoff.reset();
    m_retry.stop();
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.abort();
    connectNow();
}

void ReconnectingSocket::close()
{
    m_wanted = false;
    m_retry.stop();
    m_socket.close();
    m_status->set(m_channel, ChannelStatus::State::Disconnected, {});
}

void ReconnectingSocket::send(const QJsonObject &frame)
{
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void ReconnectingSocket::markConnected()
{
    m_backoff.reset();
    m_status->set(m_channel, ChannelStatus::State::Connected);
}

void ReconnectingSocket::connectNow()
{
    if (!m_wanted)
        return;
    m_status->set(m_channel, ChannelStatus::State::Connecting,
                  m_backoff.attempts() > 0 ? tr("reconnecting") : QString());
    QNetworkRequest request(m_url);
    request.setRawHeader("Authorization", "Bearer " + m_token);
    if (!m_subprotocol.isEmpty())
        request.setRawHeader("Sec-WebSocket-Protocol", m_subprotocol);
    m_socket.setSslConfiguration(m_tls);
    m_socket.open(request);
}

void ReconnectingSocket::onClosed()
{
    if (m_retry.isActive())
        return; // already waiting to retry (an error came before the disconnection)
    const quint16 code = quint16(m_socket.closeCode());
    const QString serverReason = m_socket.closeReason();
    const QString why = serverReason.isEmpty() ? m_socket.errorString() : serverReason;
    Q_EMIT dropped(why);
    if (code == kCloseUnauthorized || code == kCloseForbidden) {
        m_wanted = false;
        m_status->set(m_channel, ChannelStatus::State::Disconnected,
                      code == kCloseUnauthorized
                          ? tr("token refused (%1): paste a new one").arg(serverReason)
                          : tr("forbidden (%1)").arg(serverReason));
        return;
    }
    if (!m_wanted)
        return;
    const int delay = m_backoff.nextDelayMs();
    m_status->set(m_channel, ChannelStatus::State::Disconnected,
                  tr("%1; retrying in %2 s").arg(why).arg((delay + 999) / 1000));
    m_retry.start(delay);
}

} // namespace veza::console
