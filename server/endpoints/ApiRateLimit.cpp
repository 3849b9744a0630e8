#include "endpoints/ApiRateLimit.h"

#include "MonotonicClock.h"
#include "endpoints/TokenCheck.h"
#include "net/KeyedRateLimiter.h"
#include "net/PeerAddress.h"
#include "net/http/HttpRequest.h"
#include "net/http/HttpResponder.h"

#include <QHostAddress>

namespace veza::endpoints {
namespace {

QString addressKey(const QString &peer)
{
    const QString plain = net::plainPeerAddress(peer);
    const QHostAddress address(plain);
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return QStringLiteral("address:") + plain;
    Q_IPV6ADDR bytes = address.toIPv6Address();
    std::fill(std::begin(bytes.c) + 8, std::end(bytes.c), quint8(0));
    return QStringLiteral("address:") + QHostAddress(bytes).toString() + QStringLiteral("/64");
}

QString keyOf(const net::http::HttpRequest &request, const TokenCheck &tokens)
{
    const QByteArray authorization = request.header("Authorization");
    if (authorization.startsWith("Bearer ")) {
        const TokenCheck::Result checked = tokens.check(authorization.mid(7).trimmed());
        if (checked.claims)
            return QStringLiteral("user:") + checked.claims->subject;
    }
    return addressKey(request.peerAddress);
}

} // namespace

bool admitApiRequest(const net::http::HttpRequest &request, net::http::HttpResponder &responder,
                     const TokenCheck &tokens, net::KeyedRateLimiter &limiter)
{
    if (!limiter.enabled())
        return true;
    qint64 retryAfterMs = 0;
    if (limiter.tryTake(keyOf(request, tokens), monotonicMs(), &retryAfterMs))
        return true;
    net::http::HttpResponse response = net::http::HttpResponse::json(
        429, {{QStringLiteral("error"), QStringLiteral("rate_limited")},
              {QStringLiteral("retry_after_ms"), retryAfterMs}});
    response.headers.append(
        {QByteArray("Retry-After"), QByteArray::number((retryAfterMs + 999) / 1000)});
    responder.send(std::move(response));
    return false;
}

} // namespace veza::endpoints
