#include "net/http/HttpConnection.h"

#include "MonotonicClock.h"
#include "net/http/RequestBody.h"

#include <utility>

namespace veza::net::http {

HttpConnection::HttpConnection(std::unique_ptr<Transport> transport, const Handler &handler,
                               HttpConnectionOwner &owner, const HttpLimits &limits,
                               const Admission &admitBody)
    : m_transport(std::move(transport))
    , m_handler(handler)
    , m_admitBody(admitBody)
    , m_owner(owner)
    , m_limits(limits)
    , m_link(std::make_shared<HttpResponder::Link>(HttpResponder::Link{this}))
    , m_deadlineMs(monotonicMs() + limits.idleTimeoutMs)
{
    m_transport->setHandler(this);
}

HttpConnection::~HttpConnection()
{
    m_link->connection = nullptr; // responders still held elsewhere now answer into the void
    if (m_transport)
        m_transport->setHandler(nullptr);
}

void HttpConnection::onReceived(QByteArrayView bytes)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    m_buffer.append(bytes.data(), bytes.size());
    if (m_state == State::Handling) {
        // Pipelined requests wait; a client that floods while waiting is cut off.
        if (m_buffer.size() > m_limits.maxHeadBytes + m_limits.maxBodyBytes)
            m_transport->abort();
        return;
    }
    process();
}

void HttpConnection::process()
{
    if (m_processing)
        return; // an answer given inside the handler: the loop below goes on
    m_processing = true;
    while (m_state == State::Head || m_state == State::Body) {
        if (m_state == State::Head && !readHead())
            break;
        if (m_state != State::Body)
            break;
        if (m_buffer.size() < m_bodyLength)
            break;
        m_request.body = m_buffer.first(m_bodyLength);
        m_buffer.remove(0, m_bodyLength);
        dispatch();
    }
    m_processing = false;
}

// Head -> Body when a complete head is buffered; false when more bytes are needed or the
// request was refused.
bool HttpConnection::readHead()
{
    if (m_buffer.isEmpty() || !m_headProgress.worthParsing(m_buffer, m_limits.maxHeadBytes))
        return false;
    const HeadParse parse = parseRequestHead(m_buffer, &m_request.head, m_limits.maxHeadBytes);
    if (parse.status == ParseStatus::Incomplete)
        return false;
    if (parse.status == ParseStatus::Invalid) {
        fail(parse.httpStatus, parse.reason);
        return false;
    }
    if (m_refusal) {
        m_transport->write(serialize(*m_refusal, false, m_request.head.method == "HEAD"));
        m_buffer.clear();
        closeAfterWrite();
        return false;
    }
    const BodyFraming framing = bodyFraming(m_request.head, m_limits.maxBodyBytes);
    if (!framing.ok) {
        fail(framing.httpStatus, framing.reason);
        return false;
    }
    m_buffer.remove(0, parse.consumed);
    m_headProgress.reset();
    m_bodyLength = framing.length;
    if (m_bodyLength > 0 && m_admitBody && !admitBody())
        return false;
    m_state = State::Body;
    if (m_bodyLength > m_buffer.size() && expectsContinue(m_request.head))
        m_transport->write("HTTP/1.1 100 Continue\r\n\r\n");
    return true;
}

bool HttpConnection::admitBody()
{
    const qint64 deadline = m_deadlineMs;
    beginHandling();
    const bool keepAlive = std::exchange(m_keepAlive, false); // a refusal ends the connection
    HttpResponder responder(m_link, ++m_sequence);
    if (!m_admitBody(handedOver(m_request), responder))
        return false;
    responder.dismiss();
    m_deadlineMs = deadline; // the body is still to come within the same time
    m_keepAlive = keepAlive;
    return true;
}

void HttpConnection::beginHandling()
{
    m_state = State::Handling;
    m_deadlineMs = 0; // the handler takes its time; the client waits
    m_keepAlive = wantsKeepAlive(m_request.head) && !m_closeWhenIdle;
    m_headOnly = m_request.head.method == "HEAD";
    m_minorVersion = m_request.head.minorVersion;
}

HttpRequest HttpConnection::handedOver(HttpRequest request) const
{
    request.peerAddress = m_transport->peerAddress();
    if (m_limits.trustedProxies)
        request.peerAddress = m_limits.trustedProxies->clientAddress(
            request.peerAddress, request.header("X-Forwarded-For"));
    return request;
}

void HttpConnection::dispatch()
{
    beginHandling();
    // The handler's copy: an answer given at once lets this connection read the next request
    // while the handler still looks at this one.
    m_handler(handedOver(std::exchange(m_request, HttpRequest())),
              HttpResponder(m_link, ++m_sequence));
}

void HttpConnection::respond(quint64 sequence, HttpResponse response)
{
    if (m_state != State::Handling || sequence != m_sequence)
        return;
    const bool keepAlive = m_keepAlive && !m_closeWhenIdle && !response.closeConnection;
    m_transport->write(serialize(response, keepAlive, m_headOnly, m_minorVersion));
    if (!keepAlive)
        return closeAfterWrite();
    m_state = State::Head;
    m_deadlineMs = monotonicMs() + m_limits.idleTimeoutMs;
    process(); // the next pipelined request, if any
}

bool HttpConnection::takeOver(quint64 sequence, const Takeover &takeover)
{
    if (m_state != State::Handling || sequence != m_sequence)
        return false;
    m_state = State::Closed;
    m_link->connection = nullptr;
    m_transport->setHandler(nullptr);
    std::unique_ptr<TakenConnection> taken = takeover(std::move(m_transport));
    const QByteArray buffered = std::exchange(m_buffer, {});
    TakenConnection *session = taken.get();
    m_owner.connectionTakenOver(*this, std::move(taken)); // may schedule this object's deletion
    if (session)
        session->start(buffered);
    return true;
}

void HttpConnection::fail(int status, QByteArrayView reason)
{
    HttpResponse response = HttpResponse::error(status, reason);
    m_transport->write(serialize(response, false, false));
    m_buffer.clear();
    closeAfterWrite();
}

void HttpConnection::refuseEveryRequest(HttpResponse response)
{
    m_refusal = std::move(response);
}

void HttpConnection::closeWhenIdle()
{
    if (!m_transport)
        return;
    m_closeWhenIdle = true;
    if (m_state == State::Head || m_state == State::Body)
        closeAfterWrite();
}

void HttpConnection::closeAfterWrite()
{
    m_state = State::Closing;
    const qint64 now = monotonicMs();
    m_deadlineMs = now + m_limits.idleTimeoutMs;
    m_closing.start(now);
    m_transport->closeAfterWrite();
}

void HttpConnection::tick(qint64 nowMs)
{
    if (!m_transport || m_state == State::Closed || m_state == State::Handling)
        return;
    if ((m_deadlineMs > 0 && nowMs >= m_deadlineMs) ||
        m_closing.overdue(nowMs, m_transport->pendingBytes(), m_limits.idleTimeoutMs))
        m_transport->abort();
}

void HttpConnection::onClosed()
{
    m_state = State::Closed;
    m_link->connection = nullptr;
    m_owner.connectionClosed(*this);
}

} // namespace veza::net::http
