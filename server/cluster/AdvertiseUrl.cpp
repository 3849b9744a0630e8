#include "cluster/AdvertiseUrl.h"

#include <QNetworkInterface>

namespace veza::cluster {
namespace {

QHostAddress firstNonLoopback()
{
    QHostAddress ipv6;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLoopback() || address.isLinkLocal())
            continue;
        if (address.protocol() == QAbstractSocket::IPv4Protocol)
            return address;
        if (ipv6.isNull())
            ipv6 = address;
    }
    return ipv6.isNull() ? QHostAddress(QHostAddress::LocalHost) : ipv6;
}

} // namespace

QByteArray advertiseUrl(const QString &configured, const QHostAddress &host, quint16 port, bool tls)
{
    if (!configured.isEmpty())
        return configured.toUtf8();
    const bool wildcard =
        host == QHostAddress::AnyIPv4 || host == QHostAddress::Any || host == QHostAddress::AnyIPv6;
    const QHostAddress address = wildcard ? firstNonLoopback() : host;
    const QString text = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString();
    return QStringLiteral("%1://%2:%3")
        .arg(tls ? QStringLiteral("https") : QStringLiteral("http"), text)
        .arg(port)
        .toUtf8();
}

} // namespace veza::cluster
