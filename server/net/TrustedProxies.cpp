#include "net/TrustedProxies.h"

#include "net/PeerAddress.h"

namespace veza::net {

std::optional<TrustedProxies> TrustedProxies::parse(const QStringList &entries, QString *error)
{
    TrustedProxies proxies;
    for (const QString &entry : entries) {
        const QString text = entry.trimmed();
        if (text.isEmpty())
            continue;
        QPair<QHostAddress, int> range = QHostAddress::parseSubnet(text);
        if (range.first.isNull()) {
            const QHostAddress single(text);
            if (single.isNull()) {
                if (error)
                    *error = QStringLiteral("\"%1\" is not an address or a CIDR range").arg(text);
                return std::nullopt;
            }
            range = {single, single.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32};
        }
        proxies.m_ranges.append(range);
    }
    return proxies;
}

bool TrustedProxies::contains(const QString &address) const
{
    if (m_ranges.isEmpty())
        return false;
    const QHostAddress host(plainPeerAddress(address));
    for (const QPair<QHostAddress, int> &range : m_ranges) {
        if (host.isInSubnet(range))
            return true;
    }
    return false;
}

QString TrustedProxies::clientAddress(const QString &peer, QByteArrayView forwardedFor) const
{
    if (forwardedFor.isEmpty() || !contains(peer))
        return peer;
    const QList<QByteArray> hops = forwardedFor.toByteArray().split(',');
    for (auto hop = hops.crbegin(); hop != hops.crend(); ++hop) {
        const QHostAddress hopAddress(QString::fromLatin1(hop->trimmed()));
        if (hopAddress.isNull())
            return peer; // garbage in the chain: believe nothing past it
        // As the address is usually written, so that one client is one key for the limits.
        const QString address = plainPeerAddress(hopAddress.toString());
        if (!contains(address))
            return address;
    }
    return peer;
}

} // namespace veza::net
