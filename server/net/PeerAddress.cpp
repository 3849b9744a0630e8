#include "net/PeerAddress.h"

#include <QHostAddress>

namespace veza::net {

QString plainPeerAddress(const QString &address)
{
    bool isIpv4 = false;
    const quint32 ipv4 = QHostAddress(address).toIPv4Address(&isIpv4);
    return isIpv4 ? QHostAddress(ipv4).toString() : address;
}

} // namespace veza::net
