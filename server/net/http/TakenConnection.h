#pragma once

#include "MonotonicClock.h"
#include "net/http/LingeringClose.h"
#include "net/transport/Transport.h"

#include <QByteArray>
#include <functional>
#include <memory>

namespace veza::net::http {

class TakenConnection;

// Owns taken-over connections (the HttpServer of the thread) and deletes them once closed.
class TakenConnectionOwner
{
public:
    virtual ~TakenConnectionOwner() = default;
    virtual void takenConnectionClosed(TakenConnection &connection) = 0;
};

// A connection a route took over after the request head (HttpResponder::takeOver): it owns the
// transport from then on and speaks whatever follows: an Icecast source's endless body, a
// listener's endless response. Runs on its network thread; deleted by its owner after onClosed
// or when the server goes away (the destructor must then release what the session holds).
class TakenConnection : public TransportHandler
{
public:
    // A reader too slow to take a session's last bytes in this long is dropped with them.
    static constexpr qint64 kCloseTimeoutMs = 30000;

    explicit TakenConnection(std::unique_ptr<Transport> transport)
        : m_transport(std::move(transport))
    {
        m_transport->setHandler(this);
    }
    ~TakenConnection() override { m_transport->setHandler(nullptr); }
    TakenConnection(const TakenConnection &) = delete;
    TakenConnection &operator=(const TakenConnection &) = delete;

    // Called once the owner adopted it, with the bytes the HTTP layer read past the head.
    virtual void start(QByteArray buffered) = 0;
    // The owner's once-a-second sweep: ends a lingering close, or lets the session tick.
    void sweep(qint64 nowMs)
    {
        if (m_closing.overdue(nowMs, m_transport->pendingBytes(), kCloseTimeoutMs))
            return m_transport->abort();
        tick(nowMs);
    }

    // A graceful shutdown began: end in good order (the server waits for every connection to
    // end, up to SHUTDOWN_TIMEOUT_S). By default the session goes on until its own end.
    virtual void drain() {}

    void setOwner(TakenConnectionOwner *owner) { m_owner = owner; }
    bool isClosed() const { return m_closed; }

protected:
    Transport &transport() { return *m_transport; }
    // Sends what is queued, then closes (Transport::closeAfterWrite), within the lingering bound.
    void closeAfterWrite()
    {
        if (!m_closing.started())
            m_closing.start(monotonicMs());
        m_transport->closeAfterWrite();
    }
    virtual void tick(qint64 nowMs) { Q_UNUSED(nowMs); }
    // What the session does when the transport ends (before its owner learns of it).
    virtual void closed() {}

private:
    void onClosed() final
    {
        m_closed = true;
        closed();
        if (m_owner)
            m_owner->takenConnectionClosed(*this);
    }

    std::unique_ptr<Transport> m_transport;
    TakenConnectionOwner *m_owner = nullptr;
    LingeringClose m_closing;
    bool m_closed = false;
};

// Builds the session that takes a connection over: given the transport, returns its new handler.
using Takeover = std::function<std::unique_ptr<TakenConnection>(std::unique_ptr<Transport>)>;

} // namespace veza::net::http
