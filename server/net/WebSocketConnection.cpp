#include "net/WebSocketConnection.h"

#include "MonotonicClock.h"
#include "net/ws/CloseCodes.h"
#include "net/ws/FrameWriter.h"
#include "net/ws/Handshake.h"

namespace veza::net {

WebSocketConnection::WebSocketConnection(std::unique_ptr<Transport> transport,
                                         WebSocketOwner &owner)
    : m_transport(std::move(transport))
    , m_owner(owner)
    , m_parser(kMaxMessageBytes)
    , m_deadlineMs(monotonicMs() + kHandshakeTimeoutMs)
{
    m_transport->setHandler(this);
}

WebSocketConnection::~WebSocketConnection()
{
    // The session goes first: it may still look at the connection (its state) on the way out.
    m_session.reset();
    m_transport->setHandler(nullptr);
}

void WebSocketConnection::accept(QByteArrayView protocol)
{
    Q_ASSERT(m_state == State::Handshake && m_request);
    m_state = State::Open;
    m_deadlineMs = 0;
    m_transport->write(ws::switchingProtocolsResponse(*m_request, protocol));
}

void WebSocketConnection::attach(std::unique_ptr<WebSocketSession> session)
{
    m_session = std::move(session);
}

void WebSocketConnection::refuse(int httpStatus, QByteArrayView reason, QByteArrayView extraHeaders)
{
    if (m_state != State::Handshake)
        return;
    m_state = State::Closing;
    m_deadlineMs = monotonicMs() + kCloseTimeoutMs;
    m_transport->write(ws::httpErrorResponse(httpStatus, reason, extraHeaders));
    m_transport->closeAfterWrite();
}

void WebSocketConnection::sendText(QByteArrayView payload)
{
    if (m_state == State::Open)
        m_transport->write(ws::frame(ws::Opcode::Text, payload));
}

void WebSocketConnection::sendEncoded(QByteArrayView frame, bool now)
{
    if (m_state != State::Open)
        return;
    if (now)
        m_transport->writeNow(frame);
    else
        m_transport->write(frame);
}

void WebSocketConnection::ping()
{
    if (m_state == State::Open)
        m_transport->write(ws::frame(ws::Opcode::Ping, {}));
}

void WebSocketConnection::close(quint16 code, QByteArrayView reason, CloseWait wait)
{
    if (m_state == State::Handshake) {
        m_transport->abort();
        return;
    }
    if (m_state != State::Open)
        return;
    m_state = State::Closing;
    m_closeCode = code;
    m_closedByServer = true;
    m_deadlineMs = monotonicMs() + kCloseTimeoutMs;
    m_transport->write(ws::closeFrame(code, reason));
    if (wait == CloseWait::No)
        m_transport->closeAfterWrite();
}

void WebSocketConnection::tick(qint64 nowMs)
{
    if (m_state == State::Closed)
        return;
    if (m_deadlineMs > 0 && nowMs >= m_deadlineMs) {
        m_transport->abort();
        return;
    }
    if (m_state == State::Open && m_session)
        m_session->onTick(nowMs);
}

void WebSocketConnection::onReceived(QByteArrayView bytes)
{
    if (m_state == State::Handshake)
        readHandshake(bytes);
    else
        readFrames(bytes);
}

void WebSocketConnection::readHandshake(QByteArrayView bytes)
{
    // Usually the whole request arrives in one read and is parsed where it lies.
    const bool buffered = !m_head.isEmpty();
    if (buffered)
        m_head.append(bytes.data(), bytes.size());
    const QByteArrayView input = buffered ? QByteArrayView(m_head) : bytes;
    if (!m_headProgress.worthParsing(input, ws::kMaxUpgradeHeadBytes)) {
        if (!buffered)
            m_head = bytes.toByteArray();
        return;
    }
    ws::UpgradeRequest request;
    const ws::HandshakeParse parse = ws::parseUpgradeRequest(input, &request);
    if (parse.status == ws::HandshakeStatus::Incomplete) {
        if (!buffered)
            m_head = bytes.toByteArray();
        return;
    }
    if (parse.status == ws::HandshakeStatus::Invalid) {
        refuse(parse.httpStatus, parse.reason);
        m_head.clear();
        return;
    }
    const QByteArray rest = input.sliced(parse.consumed).toByteArray();
    m_head.clear();
    m_request = &request;
    m_owner.upgradeRequested(*this, request);
    m_request = nullptr;
    if (m_state == State::Handshake) // the owner decided nothing: a bug, not the client's fault
        refuse(500, "no endpoint decision");
    if (!rest.isEmpty())
        readFrames(rest);
}

void WebSocketConnection::readFrames(QByteArrayView bytes)
{
    if (m_state != State::Open && m_state != State::Closing)
        return;
    if (!m_parser.feed(bytes, *this)) {
        const quint16 code = m_parser.errorCode();
        const QByteArray reason = m_parser.errorReason();
        // Failing the connection (RFC 6455 7.1.7): the close frame, then the TCP end at once;
        // a peer that breaks the protocol is not waited for.
        if (m_state == State::Open)
            close(code, reason, CloseWait::No);
        else
            m_transport->abort();
        return;
    }
    m_parser.releaseIdleMemory();
}

void WebSocketConnection::onClosed()
{
    if (m_state == State::Open)
        m_closeCode = ws::CloseCode::Abnormal; // no close frame either way
    m_state = State::Closed;
    m_owner.connectionClosed(*this);
}

void WebSocketConnection::onMessage(ws::Opcode opcode, QByteArrayView payload)
{
    if (m_state != State::Open || !m_session)
        return; // after our close frame, data is read and dropped (RFC 6455 7.1.1)
    if (opcode == ws::Opcode::Text)
        m_session->onText(payload);
    else
        m_session->onBinary(payload);
}

void WebSocketConnection::onPing(QByteArrayView payload)
{
    if (m_state == State::Open)
        m_transport->write(ws::frame(ws::Opcode::Pong, payload));
}

void WebSocketConnection::onPong(QByteArrayView)
{
    if (m_state == State::Open && m_session)
        m_session->onPong();
}

void WebSocketConnection::onClose(quint16 code, QByteArrayView)
{
    if (m_state == State::Open) {
        // The peer started the close: echo its code (none for 1005), then end the TCP side.
        m_state = State::Closing;
        m_closeCode = code;
        m_transport->write(code == ws::CloseCode::NoStatus ? ws::frame(ws::Opcode::Close, {})
                                                           : ws::closeFrame(code, {}));
    }
    // A peer that never ends its side of the TCP connection is cut off at the deadline.
    m_deadlineMs = monotonicMs() + kCloseTimeoutMs;
    m_transport->closeAfterWrite();
}

} // namespace veza::net
