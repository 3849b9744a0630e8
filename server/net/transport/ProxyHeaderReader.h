#pragma once

#include "net/transport/Transport.h"

#include <QObject>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

class QTimer;

namespace veza::net {

class TrustedProxies;

// Reads the PROXY protocol header (v1 or v2) that a trusted proxy (TRUSTED_PROXIES) may send
// before a connection's own bytes. A connection from anyone else goes on at once, its bytes
// never interpreted. One from a trusted proxy is held until its first bytes tell: a header is
// consumed and the client it names becomes the connection's peer address; without one the
// connection goes on as it came; a malformed one closes it, logged once. Either way the bytes
// already read reach the protocol first (ProxiedTransport). A partial header is bounded by the
// header's size and `timeoutMs`. Plain connections only: with TLS the header would precede the
// handshake, which QSslServer does before the connection is ours. Lives on its network thread.
class ProxyHeaderReader : public QObject
{
    Q_OBJECT

public:
    using Accepted = std::function<void(std::unique_ptr<Transport>)>;

    // `proxies` must outlive the reader.
    ProxyHeaderReader(const TrustedProxies &proxies, int timeoutMs, Accepted accepted,
                      QObject *parent = nullptr);
    ~ProxyHeaderReader() override;

    // A new connection: handed to `accepted` now, or once its header is read.
    void admit(std::unique_ptr<Transport> transport);
    int waitingCount() const { return int(m_waiting.size()); }

private:
    struct Waiting;

    void received(Waiting &waiting, QByteArrayView bytes);
    void handOver(Waiting &waiting, const QString &clientAddress, qsizetype consumed);
    void forget(Waiting &waiting);
    void sweep();

    const TrustedProxies &m_proxies;
    const int m_timeoutMs;
    const Accepted m_accepted;
    QTimer *m_sweepTimer;
    std::unordered_map<Waiting *, std::unique_ptr<Waiting>> m_waiting;
    // Gone, deleted on the next pass: their transport may still be on the stack.
    std::vector<std::unique_ptr<Waiting>> m_retired;
};

} // namespace veza::net
