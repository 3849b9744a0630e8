#pragma once

#include <QByteArray>
#include <QTcpSocket>
#include <QUrl>

namespace veza::testing {

// A WebSocket client that performs the opening handshake by hand, so a test sees the raw
// HTTP answer: 101 for an upgrade, or the 503 refusal of an over-limit connection.
class RawWebSocketClient
{
public:
    // Returns the server's status line and headers, e.g. "HTTP/1.1 101 Switching Protocols...".
    QByteArray handshake(quint16 port, int timeoutMs = 5000);
    QByteArray handshake(quint16 port, const QByteArray &path, const QByteArray &extraHeaders,
                         int timeoutMs = 5000);
    QTcpSocket &socket() { return m_socket; }
    // Sends one masked text frame (clients must mask), for raw clients that speak a little.
    void sendText(const QByteArray &text);
    // Stops reading after the handshake: a small kernel buffer and a capped Qt read buffer, so
    // unread data backs up into the server as with a stalled client.
    void stopReading()
    {
        m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        m_socket.setReadBufferSize(4096);
    }

private:
    QTcpSocket m_socket;
};

} // namespace veza::testing
