#include "endpoints/TokenCheck.h"

#include "auth/JwtToken.h"
#include "moderation/ServerBans.h"
#include "net/http/BearerAuth.h"
#include "net/http/HttpResponder.h"

#include <QDateTime>
#include <QJsonObject>

namespace veza::endpoints {

TokenCheck::Result TokenCheck::check(QByteArrayView token) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auth::VerifyResult verified = auth::verifyToken(token, secrets, now);
    if (!verified.ok())
        return {std::nullopt, false, auth::tokenErrorText(verified.error), std::nullopt};
    if (bans) {
        if (const auto ban = bans->find(verified.claims->subject, now.toMSecsSinceEpoch()))
            return {std::nullopt, true, moderation::ServerBans::describe(*ban), ban->untilMs};
    }
    return {std::move(verified.claims), false, {}, std::nullopt};
}

std::optional<auth::Claims> authenticateRequest(const net::http::HttpRequest &request,
                                                const TokenCheck &tokens,
                                                net::http::HttpResponder &responder)
{
    std::optional<auth::Claims> claims =
        net::http::authenticateBearer(request, tokens.secrets, responder);
    if (!claims || !tokens.bans)
        return claims;
    const auto ban = tokens.bans->find(claims->subject, QDateTime::currentMSecsSinceEpoch());
    if (!ban)
        return claims;
    responder.send(net::http::HttpResponse::json(
        403, {{QStringLiteral("error"), QStringLiteral("banned")},
              {QStringLiteral("reason"), moderation::ServerBans::describe(*ban)},
              {QStringLiteral("until"),
               ban->untilMs ? QJsonValue(*ban->untilMs) : QJsonValue(QJsonValue::Null)}}));
    return std::nullopt;
}

} // namespace veza::endpoints
