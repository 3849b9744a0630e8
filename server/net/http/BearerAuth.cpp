#include "net/http/BearerAuth.h"

#include "auth/JwtToken.h"
#include "net/http/HttpRequest.h"
#include "net/http/HttpResponder.h"

#include <QDateTime>

namespace veza::net::http {

std::optional<auth::Claims> authenticateBearer(const HttpRequest &request,
                                               const QList<QByteArray> &secrets,
                                               HttpResponder &responder)
{
    const QByteArray authorization = request.header("Authorization");
    if (!authorization.startsWith("Bearer ")) {
        responder.send(HttpResponse::error(401, "bearer token required"));
        return std::nullopt;
    }
    auth::VerifyResult verified =
        auth::verifyToken(authorization.mid(7).trimmed(), secrets, QDateTime::currentDateTimeUtc());
    if (!verified.ok()) {
        responder.send(HttpResponse::error(401, auth::tokenErrorText(verified.error).toUtf8()));
        return std::nullopt;
    }
    return std::move(verified.claims);
}

bool hasAnyRole(const QStringList &roles, std::initializer_list<QStringView> wanted)
{
    for (QStringView role : wanted) {
        if (roles.contains(role))
            return true;
    }
    return false;
}

} // namespace veza::net::http
