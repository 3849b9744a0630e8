#pragma once

#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <optional>

namespace veza::net {

// The load balancers and reverse proxies in front of the server (TRUSTED_PROXIES, a list of
// addresses and CIDR ranges). Only their word about a client is believed: the X-Forwarded-For
// they add gives the client's address to logs, listener sessions and the per-address limits,
// and their own connections (many clients behind one address) are not counted against
// MAX_CONNECTIONS_PER_IP. From anyone else the header is ignored. Immutable: any thread.
class TrustedProxies
{
public:
    TrustedProxies() = default;
    // nullopt, with `error` naming the entry, when one is neither an address nor a range.
    static std::optional<TrustedProxies> parse(const QStringList &entries, QString *error);

    bool isEmpty() const { return m_ranges.isEmpty(); }
    bool contains(const QString &address) const;
    // The client behind `peer`: when `peer` is trusted, the right-most address of
    // X-Forwarded-For that is not itself a trusted proxy (what the nearest untrusted hop
    // said it was); otherwise, or without a usable header, `peer` itself.
    QString clientAddress(const QString &peer, QByteArrayView forwardedFor) const;

private:
    QList<QPair<QHostAddress, int>> m_ranges;
};

} // namespace veza::net
