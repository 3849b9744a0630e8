#pragma once

#include "net/transport/Transport.h"

#include <memory>

namespace veza::net {

// A connection from a trusted proxy whose first bytes were read to look for a PROXY protocol
// header (ProxyHeaderReader): the client the header named stands in for the peer in
// peerAddress() (the proxy's own address without one), and the bytes read past the header
// reach the handler before any newer ones. Everything else is the inner transport's. Lives on
// the network thread of its connection.
class ProxiedTransport final : public Transport, private TransportHandler
{
public:
    // `clientAddress` empty: no header, or one naming no client.
    ProxiedTransport(std::unique_ptr<Transport> inner, QString clientAddress, QByteArray early);
    ~ProxiedTransport() override;

    // Hands the bytes read past the header to the handler: once it is set, after the connection
    // was adopted, so an answer to them finds the connection registered.
    void deliverEarlyBytes();

    void write(QByteArrayView bytes) override { m_inner->write(bytes); }
    void writeNow(QByteArrayView bytes) override { m_inner->writeNow(bytes); }
    qsizetype pendingBytes() const override { return m_inner->pendingBytes(); }
    qsizetype backlogBytes() const override { return m_inner->backlogBytes(); }
    void closeAfterWrite() override { m_inner->closeAfterWrite(); }
    void abort() override { m_inner->abort(); }
    void setReadingPaused(bool paused) override { m_inner->setReadingPaused(paused); }
    void setKernelSendBuffer(int bytes) override { m_inner->setKernelSendBuffer(bytes); }
    QString peerAddress() const override;

private:
    void onReceived(QByteArrayView bytes) override;
    void onClosed() override;

    std::unique_ptr<Transport> m_inner;
    const QString m_clientAddress;
    QByteArray m_early;
};

} // namespace veza::net
