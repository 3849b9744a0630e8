#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

// The console's link to one veza-server over its public WebSocket endpoint. Today it
// connects and measures a ping/pong round trip; chat and stream monitoring build on it.
// GUI thread.
class ServerConnection : public QObject
{
    Q_OBJECT

public:
    explicit ServerConnection(QObject *parent = nullptr);

    void open(const QUrl &url);
    void close();
    void ping();
    bool isConnected() const;
    QUrl url() const { return m_url; }

Q_SIGNALS:
    void connected();
    void disconnected(const QString &reason);
    void pongReceived(qint64 roundTripMs);
    void protocolError(const QString &message);

private:
    void onTextMessage(const QString &message);

    QWebSocket m_socket;
    QUrl m_url;
    QElapsedTimer m_pingTimer;
};
