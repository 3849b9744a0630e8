#pragma once

#include "ChannelStatus.h"
#include "ReconnectBackoff.h"

#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace veza::console {

// ReconnectingSocket: one of the console's WebSocket links (/monitor, /chat) that keeps itself
// open. A refused token (4401) or role (4403) stops it with the server's reason, since knocking
// again would not change them; anything else (the server shutting down or down, the network)
// is retried after ReconnectBackoff's delays, whether the connection closed or never opened.
// It reports the link's state as `channel`'s: connecting, then connected once the owner says so
// (markConnected(): the monitor's snapshot) or at once, disconnected with the reason and when
// it retries. GUI thread.
class ReconnectingSocket : public QObject
{
    Q_OBJECT

public:
    // `readyOnOpen`: connected as soon as the socket opens (else at markConnected()).
    ReconnectingSocket(ConnectionStatus *status, Channel channel, bool readyOnOpen,
                       QObject *parent = nullptr);
    ~ReconnectingSocket() override;

    void open(const QUrl &url, const QByteArray &token, const QSslConfiguration &tls,
              const QByteArray &subprotocol = {});
    void close();
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void send(const QJsonObject &frame);
    void markConnected();

Q_SIGNALS:
    void opened(bool again); // `again`: a reconnection
    void text(const QString &message);
    void dropped(const QString &why); // the connection ended (or could not open)

private:
    void connectNow();
    void onClosed();

    ConnectionStatus *m_status;
    const Channel m_channel;
    const bool m_readyOnOpen;
    QWebSocket m_socket;
    QUrl m_url;
    QByteArray m_token;
    QByteArray m_subprotocol;
    QSslConfiguration m_tls;
    ReconnectBackoff m_backoff;
    QTimer m_retry;
    bool m_wanted = false;
    bool m_everOpened = false;
};

} // namespace veza::console
