#include "WebSocketTestClient.h"

#include <QDeadlineTimer>

namespace veza::testing {

QByteArray RawWebSocketClient::handshake(quint16 port, int timeoutMs)
{
    return handshake(port, "/", {}, timeoutMs);
}

QByteArray RawWebSocketClient::handshake(quint16 port, const QByteArray &path,
                                         const QByteArray &extraHeaders, int timeoutMs)
{
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!m_socket.waitForConnected(timeoutMs))
        return {};
    m_socket.write("GET " + path +
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n" +
                   extraHeaders + "\r\n");
    QByteArray response;
    QDeadlineTimer deadline(timeoutMs);
    while (!response.contains("\r\n\r\n") && !deadline.hasExpired()) {
        if (m_socket.waitForReadyRead(50))
            response += m_socket.readAll();
        else if (m_socket.state() != QAbstractSocket::ConnectedState)
            break;
    }
    return response;
}

void RawWebSocketClient::sendText(const QByteArray &text)
{
    QByteArray frame;
    frame.append(char(0x81)); // FIN + text
    if (text.size() < 126) {
        frame.append(char(0x80 | text.size()));
    } else {
        frame.append(char(0x80 | 126));
        frame.append(char((text.size() >> 8) & 0xff)).append(char(text.size() & 0xff));
    }
    frame.append(4, '\0'); // a zero mask leaves the payload as it is
    frame.append(text);
    m_socket.write(frame);
    m_socket.waitForBytesWritten(5000);
}

} // namespace veza::testing
