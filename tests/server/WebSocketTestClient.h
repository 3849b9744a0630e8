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

    // Byte-level access for tests of the wire protocol itself. These keep their own receive
    // buffer: bytes that follow a response head or a frame stay there for the next read.

    // One frame as the server sent it, decoded by hand (RFC 6455 §5.2), independently of the
    // server's codec.
    struct Frame
    {
        bool received = false; // false: no whole frame within the timeout
        quint8 opcode = 0;
        bool fin = false;
        quint8 reservedBits = 0; // RSV1-3 as the 0x70 bits of the first byte
        bool masked = false;     // a server must never mask
        QByteArray payload;      // unmasked
        // Close frames: the status code (0 when the payload is empty) and the reason.
        quint16 closeCode() const;
        QByteArray closeReason() const { return payload.mid(2); }
    };

    // Connects without sending anything.
    bool connectTo(quint16 port, int timeoutMs = 5000);
    // Writes `bytes` exactly as given and waits until the kernel has them.
    void sendRaw(const QByteArray &bytes);
    // The HTTP response head up to and including the empty line; empty if it did not arrive
    // within timeoutMs.
    QByteArray readResponseHead(int timeoutMs = 5000);
    // The next whole frame; received == false after timeoutMs or at the end of the stream.
    Frame readFrame(int timeoutMs = 5000);
    // True once the server has ended the TCP connection (end of stream or reset) within
    // timeoutMs. Bytes arriving meanwhile stay buffered for readFrame().
    bool waitForServerClose(int timeoutMs = 5000);

private:
    // Moves what the socket has into m_received; false if nothing came within timeoutMs.
    bool receiveMore(int timeoutMs);

    QTcpSocket m_socket;
    QByteArray m_received;
};

} // namespace veza::testing
