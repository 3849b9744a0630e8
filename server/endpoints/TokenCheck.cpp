#include "endpoints/TokenCheck.h"

#include "auth/JwtToken.h"
#include "moderation/ServerBans.h"
#include "net/http/HttpRequest.h"
#include "net/http/HttpResponder.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace veza::endpoints {

namespace {

// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
bool namesAudience(const QJsonValue &aud, const QString &audience)
{
    if (aud.isString())
        return aud.toString() == audience;
    return aud.isArray() && aud.toArray().contains(QJsonValue(audience));
}

} // namespace

TokenCheck::Result TokenCheck::check(QByteArrayView token) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auth::VerifyResult verified = auth::verifyToken(token, secrets, now);
    if (!verified.ok())
        return {std::nullopt, false, auth::tokenErrorText(verified.error), std::nullopt};
    const QJsonObject &extra = verified.claims->extra;
    if (!issuer.isEmpty() && extra.value(QLatin1StringView("iss")).toString() != issuer)
        return {std::nullopt, false, QStringLiteral("token from another issuer"), std::nullopt};
    if (!audience.isEmpty() && !namesAudience(extra.value(QLatin1StringView("aud")), audience))
        return {std::nullopt, false, QStringLiteral("token for another audience"), std::nullopt};
    if (bans) {
        if (const auto ban = bans->find(verified.claims->subject, now.toMSecsSinceEpoch()))
            return {std::nullopt, true, moderation::ServerBans::describe(*ban), ban->untilMs};
    }
    return {std::move(verified.claims), false, {}, std::nullopt};
}

QString TokenCheck::banOf(const QString &subject) const
{
    return bans ? bans->reasonFor(subject, QDateTime::currentMSecsSinceEpoch()) : QString();
}

std::optional<auth::Claims> authenticateRequest(const net::http::HttpRequest &request,
                                                const TokenCheck &tokens,
                                                net::http::HttpResponder &responder)
{
    const QByteArray authorization = request.header("Authorization");
    if (!authorization.startsWith("Bearer ")) {
        responder.send(net::http::HttpResponse::error(401, "bearer token required"));
        return std::nullopt;
    }
    TokenCheck::Result checked = tokens.check(authorization.mid(7).trimmed());
    if (checked.claims)
        return std::move(checked.claims);
    if (!checked.banned) {
        responder.send(net::http::HttpResponse::error(401, checked.reason.toUtf8()));
        return std::nullopt;
    }
    responder.send(net::http::HttpResponse::json(
        403, {{QStringLiteral("error"), QStringLiteral("banned")},
              {QStringLiteral("reason"), checked.reason},
              {QStringLiteral("until"), checked.bannedUntilMs ? QJsonValue(*checked.bannedUntilMs)
                                                              : QJsonValue(QJsonValue::Null)}}));
    return std::nullopt;
}

} // namespace veza::endpoints
