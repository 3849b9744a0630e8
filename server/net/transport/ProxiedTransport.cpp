#include "net/transport/ProxiedTransport.h"

#include <utility>

namespace veza::net {

ProxiedTransport::ProxiedTransport(std::unique_ptr<Transport> inner, QString clientAddress,
                                   QByteArray early)
    : m_inner(std::move(inner))
    , m_clientAddress(std::move(clientAddress))
    , m_early(std::move(early))
{
    m_inner->setHandler(this);
}

ProxiedTransport::~ProxiedTransport()
{
    m_inner->setHandler(nullptr);
}

void ProxiedTransport::deliverEarlyBytes()
{
    const QByteArray early = std::exchange(m_early, {});
    if (m_handler && !early.isEmpty())
        m_handler->onReceived(early);
}

QString ProxiedTransport::peerAddress() const
{
    return m_clientAddress.isEmpty() ? m_inner->peerAddress() : m_clientAddress;
}

void ProxiedTransport::onReceived(QByteArrayView bytes)
{
    deliverEarlyBytes(); // never later than what followed them
    if (m_handler)
        m_handler->onReceived(bytes);
}

void ProxiedTransport::onClosed()
{
    if (m_handler)
        m_handler->onClosed();
}

} // namespace veza::net
