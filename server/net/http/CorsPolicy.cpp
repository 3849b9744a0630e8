#include "net/http/CorsPolicy.h"

#include "net/http/HttpRequest.h"

namespace veza::net::http {

namespace {
// A browser may cache a preflight this long (seconds).
constexpr int kPreflightMaxAgeS = 600;
} // namespace

CorsPolicy::CorsPolicy(bool enabled, const QStringList &allowedOrigins)
    : m_enabled(enabled)
{
    for (const QString &origin : allowedOrigins) {
        if (origin.trimmed() == u"*")
            m_anyOrigin = true;
        else if (!origin.trimmed().isEmpty())
            m_origins.append(origin.trimmed().toUtf8());
    }
}

bool CorsPolicy::allowsOrigin(QByteArrayView origin) const
{
    if (origin.isEmpty() || m_anyOrigin)
        return true;
    for (const QByteArray &allowed : m_origins) {
        // Scheme and host are case-insensitive (RFC 6454 §4).
        if (origin.compare(allowed, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

HttpResponse CorsPolicy::preflight(const HttpRequest &request, const QByteArrayList &methods) const
{
    const QByteArray origin = request.header("Origin");
    if (!m_enabled || origin.isEmpty() || !allowsOrigin(origin))
        return HttpResponse::error(403, "origin not allowed");
    HttpResponse response;
    response.status = 204;
    response.headers = responseHeaders(request);
    response.headers.append({QByteArray("Access-Control-Allow-Methods"), methods.join(", ")});
    response.headers.append(
        {QByteArray("Access-Control-Allow-Headers"), QByteArray("Authorization, Content-Type")});
    response.headers.append(
        {QByteArray("Access-Control-Max-Age"), QByteArray::number(kPreflightMaxAgeS)});
    return response;
}

QList<std::pair<QByteArray, QByteArray>>
CorsPolicy::responseHeaders(const HttpRequest &request) const
{
    const QByteArray origin = request.header("Origin");
    if (!m_enabled || origin.isEmpty() || !allowsOrigin(origin))
        return {};
    // The origin itself, not `*`: the API is called with credentials (a bearer token).
    return {{QByteArray("Access-Control-Allow-Origin"), origin},
            {QByteArray("Vary"), QByteArray("Origin")},
            {QByteArray("Access-Control-Expose-Headers"), QByteArray("Retry-After")}};
}

} // namespace veza::net::http
