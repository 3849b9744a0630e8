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

quint16 RawWebSocketClient::Frame::closeCode() const
{
    if (payload.size() < 2)
        return 0;
    return quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
}

bool RawWebSocketClient::connectTo(quint16 port, int timeoutMs)
{
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return m_socket.waitForConnected(timeoutMs);
}

void RawWebSocketClient::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
    while (m_socket.bytesToWrite() > 0 && m_socket.waitForBytesWritten(5000)) {
    }
}

bool RawWebSocketClient::receiveMore(int timeoutMs)
{
    if (m_socket.bytesAvailable() == 0)
        m_socket.waitForReadyRead(qMax(timeoutMs, 1));
    const QByteArray bytes = m_socket.readAll();
    m_received += bytes;
    return !bytes.isEmpty();
}

QByteArray RawWebSocketClient::readResponseHead(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    qsizetype end;
    while ((end = m_received.indexOf("\r\n\r\n")) < 0) {
        if (deadline.hasExpired())
            return {};
        if (!receiveMore(int(qMin<qint64>(deadline.remainingTime(), 50))) &&
            m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0)
            return {};
    }
    const QByteArray head = m_received.left(end + 4);
    m_received.remove(0, end + 4);
    return head;
}

RawWebSocketClient::Frame RawWebSocketClient::readFrame(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        // Decodes from the buffer without consuming anything until the frame is whole.
        const qsizetype available = m_received.size();
        if (available >= 2) {
            const auto byte = [this](qsizetype i) { return quint8(m_received[i]); };
            const bool masked = (byte(1) & 0x80) != 0;
            quint64 length = byte(1) & 0x7F;
            qsizetype header = 2;
            if (length >= 126) {
                const int lengthBytes = length == 126 ? 2 : 8;
                if (available >= 2 + lengthBytes) {
                    length = 0;
                    for (int i = 0; i < lengthBytes; ++i)
                        length = (length << 8) | byte(2 + i);
                }
                header += lengthBytes;
            }
            if (masked)
                header += 4;
            if (available >= header && quint64(available - header) >= length) {
                Frame frame;
                frame.received = true;
                frame.fin = (byte(0) & 0x80) != 0;
                frame.reservedBits = byte(0) & 0x70;
                frame.opcode = byte(0) & 0x0F;
                frame.masked = masked;
                frame.payload = m_received.mid(header, qsizetype(length));
                if (masked) {
                    for (qsizetype i = 0; i < frame.payload.size(); ++i)
                        frame.payload[i] =
                            char(quint8(frame.payload[i]) ^ byte(header - 4 + i % 4));
                }
                m_received.remove(0, header + qsizetype(length));
                return frame;
            }
        }
        if (deadline.hasExpired())
            return {};
        if (!receiveMore(int(qMin<qint64>(deadline.remainingTime(), 50))) &&
            m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0)
            return {};
    }
}

bool RawWebSocketClient::waitForServerClose(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        receiveMore(int(qMin<qint64>(deadline.remainingTime(), 50)));
        if (m_socket.state() == QAbstractSocket::UnconnectedState) {
            m_received += m_socket.readAll();
            return true;
        }
        if (deadline.hasExpired())
            return false;
    }
}

} // namespace veza::testing
