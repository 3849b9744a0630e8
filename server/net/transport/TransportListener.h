#pragma once

#include "net/transport/Transport.h"

#include <QObject>
#include <QSslConfiguration>
#include <functional>
#include <memory>
#include <optional>

class QTcpServer;

namespace veza::net {

class FdAcceptor;
class FlushQueue;
class ProxyHeaderReader;
class TrustedProxies;

// One listening descriptor turned into Transports: plain connections straight from the
// descriptor (FdTransport, flushed by `flushQueue`), or TLS 1.3 through QSslServer
// (QtSocketTransport) when `tls` is given. Shared by the HTTP server and the WebSocket gateway.
// A plain listener may read the PROXY protocol header of trusted proxies' connections first.
class TransportListener : public QObject
{
    Q_OBJECT

public:
    using Accepted = std::function<void(std::unique_ptr<Transport>)>;

    TransportListener(std::optional<QSslConfiguration> tls, FlushQueue &flushQueue,
                      Accepted accepted, QObject *parent = nullptr);
    ~TransportListener() override;

    // Plain listeners only (ignored with TLS), before listen(): connections from `proxies` may
    // start with a PROXY protocol header, read within `timeoutMs` (ProxyHeaderReader).
    // `proxies` must outlive the listener.
    void readProxyHeaders(const TrustedProxies &proxies, int timeoutMs);
    // Takes ownership of a listening descriptor.
    bool listen(int fd, QString *error);
    void close();
    // TLS only (ignored otherwise): connections accepted from now on use `tls`; those already
    // open keep the configuration they were accepted with.
    void setTlsConfiguration(const QSslConfiguration &tls);

private:
    std::optional<QSslConfiguration> m_tls;
    FlushQueue &m_flushQueue;
    Accepted m_accepted;
    FdAcceptor *m_acceptor = nullptr;
    ProxyHeaderReader *m_proxyHeaders = nullptr;
    QTcpServer *m_tlsServer = nullptr;
};

} // namespace veza::net
