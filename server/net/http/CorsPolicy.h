#pragma once

#include "net/http/HttpResponse.h"

#include <QByteArrayList>
#include <QStringList>

namespace veza::net::http {

struct HttpRequest;

// Which web pages may use the server from a browser (ENABLE_CORS, ALLOWED_ORIGINS; `*` allows
// any): the answer to a preflight, the Access-Control-* headers on API responses, and whether
// a WebSocket upgrade's Origin is acceptable. A request without Origin is not a browser's
// cross-origin call and is always allowed. Immutable: any thread.
class CorsPolicy
{
public:
    CorsPolicy(bool enabled, const QStringList &allowedOrigins);

    bool enabled() const { return m_enabled; }
    // Whether ALLOWED_ORIGINS names origins (not empty, not `*`): WebSocket upgrades from a
    // browser page are then checked against it, whether or not CORS is on.
    bool restrictsOrigins() const { return !m_anyOrigin && !m_origins.isEmpty(); }
    // Whether a page of `origin` may call the API or open a WebSocket (empty: not a browser).
    bool allowsOrigin(QByteArrayView origin) const;
    // OPTIONS with Origin and Access-Control-Request-Method: 204 naming `methods` and the
    // request headers the API reads, or 403 for an origin not allowed.
    HttpResponse preflight(const HttpRequest &request, const QByteArrayList &methods) const;
    // The headers an API response carries for `request`: none without Origin, for an origin
    // not allowed, or when CORS is off.
    QList<std::pair<QByteArray, QByteArray>> responseHeaders(const HttpRequest &request) const;

private:
    bool m_enabled;
    bool m_anyOrigin = false;
    QByteArrayList m_origins;
};

} // namespace veza::net::http
