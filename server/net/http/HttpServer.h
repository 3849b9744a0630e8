#pragma once

#include "net/SweepSlices.h"
#include "net/http/HttpConnection.h"

#include <QObject>
#include <QSet>
#include <QSslConfiguration>
#include <atomic>
#include <optional>

class QTimer;

namespace veza::net {
class KeyedConnectionLimiter;
class ConnectionLimiter;
class FlushQueue;
class TransportListener;
} // namespace veza::net

namespace veza::net::http {

// The caps an HttpServer shares with the other network threads; a connection over one is
// answered (503 max_http_connections, 429 max_connections_per_ip, with Retry-After) and closed.
struct HttpServerCaps
{
    ConnectionLimiter *connections = nullptr;           // MAX_HTTP_CONNECTIONS; none: no cap
    KeyedConnectionLimiter *addresses = nullptr;        // MAX_CONNECTIONS_PER_IP; none: no cap
    std::function<void(const QString &reason)> refused; // for metrics
};

// The HTTP/1.1 listener of one network thread: accepts on its own listener (plain
// descriptors, or QSslServer when TLS is configured), owns its connections and hands every
// request to `handler` (usually an HttpRouter's dispatch). A once-a-second sweep, a slice at a
// time (SweepSlices), enforces the idle timeout. Connections a route takes over
// (HttpResponder::takeOver) stay owned here, so they go away with the server. Lives and runs on its
// network thread.
class HttpServer : public QObject, private HttpConnectionOwner, private TakenConnectionOwner
{
    Q_OBJECT

public:
    HttpServer(HttpConnection::Handler handler, std::optional<QSslConfiguration> tls,
               HttpLimits limits = {}, HttpServerCaps caps = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    // Asked before a request body is read (HttpConnection::Admission); set before listen().
    void setBodyAdmission(HttpConnection::Admission admitBody)
    {
        m_admitBody = std::move(admitBody);
    }
    // Takes ownership of a listening descriptor.
    bool listen(int fd, QString *error);
    void stopAccepting();
    // New connections use `tls` (TransportListener::setTlsConfiguration).
    void setTlsConfiguration(const QSslConfiguration &tls);
    // A graceful shutdown: each connection ends once its request in progress is answered, and
    // taken-over ones end in their own good order (TakenConnection::drain). Call after
    // stopAccepting().
    void drain();
    int openConnections() const { return int(m_connections.size() + m_taken.size()); }
    // Keeps `counter` up to date with openConnections() (servers on several threads may share
    // one; anyone may read it).
    void countConnectionsIn(std::atomic<int> &counter);
    // How many connections the last sweep step visited (tests).
    int lastSweepVisited() const
    {
        return m_connectionSweep.lastStepSize() + m_takenSweep.lastStepSize();
    }

private:
    struct Entry
    {
        quint32 sweepSlice = 0;
        bool holdsSlot = false; // counted against MAX_HTTP_CONNECTIONS
        QString address;        // counted against MAX_CONNECTIONS_PER_IP (empty: not counted)
    };

    void adopt(std::unique_ptr<Transport> transport);
    void release(const Entry &entry);
    void connectionClosed(HttpConnection &connection) override;
    void connectionTakenOver(HttpConnection &connection,
                             std::unique_ptr<TakenConnection> taken) override;
    void takenConnectionClosed(TakenConnection &connection) override;
    void sweep();
    void recount();

    const HttpConnection::Handler m_handler;
    HttpConnection::Admission m_admitBody;
    const HttpLimits m_limits;
    const HttpServerCaps m_caps;
    FlushQueue *m_flushQueue;
    TransportListener *m_listener;
    QTimer *m_sweepTimer;
    // Each with its slice of the sweep.
    QHash<HttpConnection *, Entry> m_connections;
    QHash<TakenConnection *, Entry> m_taken; // taken over by a route (sources, listeners); owned
    SweepSlices<HttpConnection *> m_connectionSweep;
    SweepSlices<TakenConnection *> m_takenSweep;
    std::atomic<int> *m_counter = nullptr;
    int m_counted = 0; // what m_counter holds for this server
    bool m_draining = false;
};

} // namespace veza::net::http
