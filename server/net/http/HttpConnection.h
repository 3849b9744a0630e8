#pragma once

#include "net/TrustedProxies.h"
#include "net/http/HeadProgress.h"
#include "net/http/HttpRequest.h"
#include "net/http/HttpResponder.h"
#include "net/http/HttpResponse.h"
#include "net/http/LingeringClose.h"
#include "net/transport/Transport.h"

#include <functional>
#include <memory>
#include <optional>

namespace veza::net::http {

struct HttpLimits
{
    qsizetype maxHeadBytes = 16 * 1024; // beyond: 431
    qint64 maxBodyBytes = 1024 * 1024;  // beyond: 413
    int idleTimeoutMs = 30000;          // between requests, and to receive one
    // X-Forwarded-For and PROXY protocol headers are believed from these (the request's
    // peerAddress is then the client's); their own connections are not counted per address.
    // None: nobody is trusted.
    const TrustedProxies *trustedProxies = nullptr;
};

class HttpConnection;

// Told when a connection is over (it is then deleted by the owner, later).
class HttpConnectionOwner
{
public:
    virtual ~HttpConnectionOwner() = default;
    virtual void connectionClosed(HttpConnection &connection) = 0;
    // The connection was taken over by a route: the owner keeps `taken` (and calls its start())
    // and deletes `connection` later, as after connectionClosed().
    virtual void connectionTakenOver(HttpConnection &connection,
                                     std::unique_ptr<TakenConnection> taken) = 0;
};

// One HTTP/1.1 connection over a Transport: reads a request head and its Content-Length body,
// hands the request to the handler with a responder, and reads nothing more until that
// request is answered (pipelined requests wait in the buffer, so answers keep their order).
// Keep-alive per HTTP/1.1 and 1.0 rules; "Expect: 100-continue" is answered; protocol errors
// get a JSON error and the connection ends. A route may instead take the connection over after
// the head (HttpResponder::takeOver): its transport and the bytes buffered past the head go to a
// TakenConnection (an Icecast source's endless body, a listener's endless answer).
class HttpConnection final : public TransportHandler
{
public:
    using Handler = std::function<void(const HttpRequest &request, HttpResponder responder)>;
    // Asked when a request announces a body, before any of it is read (and before "100
    // Continue"), with the head alone: true admits it; false when it answered instead (an
    // unknown route, a missing token). The connection then closes after the answer, so an
    // unread body costs neither memory nor a parse. Empty: every body is read.
    using Admission = std::function<bool(const HttpRequest &head, HttpResponder &responder)>;

    HttpConnection(std::unique_ptr<Transport> transport, const Handler &handler,
                   HttpConnectionOwner &owner, const HttpLimits &limits,
                   const Admission &admitBody);
    ~HttpConnection() override;

    // Called by HttpResponder::send(): ignored unless it answers the request in progress.
    void respond(quint64 sequence, HttpResponse response);
    // Called by HttpResponder::takeOver(): false unless it answers the request in progress.
    bool takeOver(quint64 sequence, const Takeover &takeover);

    // The owner's once-a-second sweep: the idle deadline.
    void tick(qint64 nowMs);
    // Ends the connection once the request in progress (if any) is answered.
    void closeWhenIdle();
    // Over a connection cap: the first request head is answered with `response`, then the
    // connection closes without reading a body.
    void refuseEveryRequest(HttpResponse response);
    bool isClosed() const { return m_state == State::Closed; }

private:
    enum class State : quint8 { Head, Body, Handling, Closing, Closed };

    void onReceived(QByteArrayView bytes) override;
    void onClosed() override;

    void process();
    bool readHead();
    // False when m_admitBody answered the request instead of admitting its body.
    bool admitBody();
    // The request as handlers see it: the head read so far, the client's address.
    HttpRequest handedOver(HttpRequest request) const;
    void beginHandling();
    void dispatch();
    void fail(int status, QByteArrayView reason);
    // Sends what is queued, then ends the connection (LingeringClose bounds the wait).
    void closeAfterWrite();

    std::unique_ptr<Transport> m_transport;
    const Handler &m_handler;
    const Admission &m_admitBody;
    HttpConnectionOwner &m_owner;
    const HttpLimits &m_limits;
    std::shared_ptr<HttpResponder::Link> m_link;
    QByteArray m_buffer;         // received, not yet consumed
    HeadProgress m_headProgress; // of the head at the start of m_buffer
    HttpRequest m_request;
    qint64 m_bodyLength = 0;
    quint64 m_sequence = 0;
    // Idle deadline (monotonic ms), also bounds receiving a request and closing; 0: none.
    qint64 m_deadlineMs = 0;
    LingeringClose m_closing; // once the last response is on its way
    int m_minorVersion = 1;
    bool m_keepAlive = true;
    bool m_headOnly = false;
    bool m_closeWhenIdle = false;
    std::optional<HttpResponse> m_refusal;
    bool m_processing = false;
    State m_state = State::Head;
};

} // namespace veza::net::http
