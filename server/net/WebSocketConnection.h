#pragma once

#include "net/WebSocketSession.h"
#include "net/http/HeadProgress.h"
#include "net/transport/Transport.h"
#include "net/ws/FrameParser.h"

#include <memory>

namespace veza::net {

namespace ws {
struct UpgradeRequest;
}

class WebSocketConnection;

// Decides what an upgrade request gets (the gateway): accept() and attach a session, or
// refuse() with an HTTP status. Told when a connection is over.
class WebSocketOwner
{
public:
    virtual ~WebSocketOwner() = default;
    virtual void upgradeRequested(WebSocketConnection &connection,
                                  const ws::UpgradeRequest &request) = 0;
    virtual void connectionClosed(WebSocketConnection &connection) = 0;
};

// One server-side WebSocket (RFC 6455) over a Transport: reads the HTTP upgrade, then frames
// in both directions, answers pings, and runs the close handshake. Per-connection state is a
// few dozen bytes plus whatever a partial frame needs; an idle connection holds no buffers.
class WebSocketConnection final : public TransportHandler, private ws::FrameSink
{
public:
    enum class State : quint8 { Handshake, Open, Closing, Closed };

    // Limits on what the client may send.
    static constexpr qsizetype kMaxMessageBytes = 64 * 1024;
    static constexpr int kHandshakeTimeoutMs = 10000;
    static constexpr int kCloseTimeoutMs = 5000;

    WebSocketConnection(std::unique_ptr<Transport> transport, WebSocketOwner &owner);
    ~WebSocketConnection() override;

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }

    // During upgradeRequested(): answer 101 (with `protocol` when not empty) and attach the
    // endpoint's session, or answer an HTTP error and close.
    void accept(QByteArrayView protocol);
    void attach(std::unique_ptr<WebSocketSession> session);
    void refuse(int httpStatus, QByteArrayView reason, QByteArrayView extraHeaders = {});

    void sendText(QByteArrayView payload);
    // A frame already encoded with ws::frame(): a room's fan-out encodes once, writes to many.
    void sendEncoded(QByteArrayView frame, bool now = false);
    void ping();
    // Starts the close handshake; the peer's answer (or kCloseTimeoutMs) ends the connection.
    // A peer presumed dead or stuck (no pong, not reading) is not waited for: the close frame
    // is followed by the end of the TCP stream at once.
    enum class CloseWait : quint8 { ForPeer, No };
    void close(quint16 code, QByteArrayView reason, CloseWait wait = CloseWait::ForPeer);
    qsizetype pendingBytes() const { return m_transport->pendingBytes(); }
    qsizetype backlogBytes() const { return m_transport->backlogBytes(); }
    // Stops reading frames (an ingest ahead of real time is paced by TCP), or resumes.
    void setReadingPaused(bool paused) { m_transport->setReadingPaused(paused); }
    void setKernelSendBuffer(int bytes) { m_transport->setKernelSendBuffer(bytes); }
    // The client's address: the peer's, or behind a trusted proxy the one it forwarded.
    QString peerAddress() const
    {
        return m_clientAddress.isEmpty() ? m_transport->peerAddress() : m_clientAddress;
    }
    void setClientAddress(const QString &address) { m_clientAddress = address; }
    WebSocketSession *session() const { return m_session.get(); }
    // How the closing of an upgraded connection began (websocket_closes_total): the code of the
    // first close frame, 1005 when the client's had none, 1006 when the connection dropped
    // without one; 0 while open or when never upgraded. Whether the server sent that frame.
    quint16 closeCode() const { return m_closeCode; }
    bool closedByServer() const { return m_closedByServer; }

    // The gateway's once-a-second sweep: handshake and close deadlines, session ticks.
    void tick(qint64 nowMs);

private:
    void onReceived(QByteArrayView bytes) override;
    void onClosed() override;
    void onMessage(ws::Opcode opcode, QByteArrayView payload) override;
    void onPing(QByteArrayView payload) override;
    void onPong(QByteArrayView payload) override;
    void onClose(quint16 code, QByteArrayView reason) override;

    void readHandshake(QByteArrayView bytes);
    void readFrames(QByteArrayView bytes);

    std::unique_ptr<Transport> m_transport;
    QString m_clientAddress; // set behind a trusted proxy
    WebSocketOwner &m_owner;
    std::unique_ptr<WebSocketSession> m_session;
    ws::FrameParser m_parser;
    QByteArray m_head;                             // the upgrade request until it is complete
    http::HeadProgress m_headProgress;             // of m_head, so it is searched once
    const ws::UpgradeRequest *m_request = nullptr; // during upgradeRequested() only
    qint64 m_deadlineMs; // handshake or close deadline (monotonic ms); 0: none
    State m_state = State::Handshake;
    bool m_closedByServer = false;
    quint16 m_closeCode = 0;
};

} // namespace veza::net
