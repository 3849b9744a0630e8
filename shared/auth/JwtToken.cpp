#include "auth/JwtToken.h"

#include "auth/Hs256.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace veza::auth {
namespace {

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

// Serialised once by hand so that every token carries the same bytes (QJsonDocument would
// too, but this keeps the header independent of Qt's key ordering).
constexpr char kHeaderJson[] = R"({"alg":"HS256","typ":"JWT"})";

QByteArray encodeSegment(const QByteArray &bytes)
{
    return bytes.toBase64(kBase64Url);
}

// Strict base64url: only the URL-safe alphabet, no padding, no whitespace, canonical trailing
// bits. Qt's decoder alone is more lenient than JWS allows, and four spellings of one
// signature must not all verify; re-encoding and comparing rules them all out at once.
std::optional<QByteArray> decodeSegment(QByteArrayView segment)
{
    if (segment.isEmpty())
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(
        segment.toByteArray(), kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || encodeSegment(decoded.decoded) != segment)
        return std::nullopt;
    return std::move(decoded.decoded);
}

std::optional<QJsonObject> decodeJsonObject(QByteArrayView segment)
{
    const std::optional<QByteArray> json = decodeSegment(segment);
    if (!json)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

VerifyResult failure(TokenError error)
{
    VerifyResult result;
    result.error = error;
    return result;
}

} // namespace

QByteArray signToken(const Claims &claims, const QByteArray &secret)
{
    if (secret.isEmpty())
        return {};
    const QByteArray payload = QJsonDocument(claimsToJson(claims)).toJson(QJsonDocument::Compact);
    const QByteArray signingInput =
        encodeSegment(QByteArray::fromRawData(kHeaderJson, sizeof kHeaderJson - 1)) + '.' +
        encodeSegment(payload);
    const QByteArray mac = hmacSha256(secret, signingInput);
    if (mac.isEmpty())
        return {};
    return signingInput + '.' + encodeSegment(mac);
}

VerifyResult verifyToken(QByteArrayView token, const QList<QByteArray> &secrets,
                         const QDateTime &now, std::chrono::seconds leeway)
{
    if (token.isEmpty() || token.size() > kMaxTokenSize)
        return failure(TokenError::Malformed);
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0)
        return failure(TokenError::Malformed);
    const QByteArrayView headerPart = token.first(firstDot);
    const QByteArrayView payloadPart = token.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signaturePart = token.sliced(secondDot + 1);

    const std::optional<QJsonObject> header = decodeJsonObject(headerPart);
    if (!header)
        return failure(TokenError::Malformed);
    // Only HS256: accepting "none" or another algorithm lets the token choose how it is checked.
    if (header->value(QLatin1StringView("alg")).toString() != u"HS256")
        return failure(TokenError::UnsupportedAlgorithm);
    // RFC 7515 4.1.11: a header parameter we are told is critical but do not implement.
    if (header->contains(QLatin1StringView("crit")))
        return failure(TokenError::UnsupportedAlgorithm);

    const std::optional<QByteArray> signature = decodeSegment(signaturePart);
    if (!signature)
        return failure(TokenError::Malformed);
    const QByteArrayView signingInput = token.first(secondDot);
    int matched = -1;
    for (int i = 0; i < secrets.size() && matched < 0; ++i) {
        // An empty secret would make every token forgeable; an unset JWT_SECRET_PREVIOUS is one.
        if (secrets.at(i).isEmpty())
            continue;
        const QByteArray expected = hmacSha256(secrets.at(i), signingInput);
        if (!expected.isEmpty() && equalConstantTime(expected, *signature))
            matched = i;
    }
    if (matched < 0)
        return failure(TokenError::BadSignature);

    const std::optional<QJsonObject> payload = decodeJsonObject(payloadPart);
    if (!payload)
        return failure(TokenError::Malformed);
    TokenError claimError = TokenError::Malformed;
    std::optional<Claims> claims = claimsFromJson(*payload, &claimError);
    if (!claims)
        return failure(claimError);

    const qint64 nowS = now.toSecsSinceEpoch();
    const qint64 leewayS = leeway.count();
    if (nowS >= claims->expiresAt.toSecsSinceEpoch() + leewayS)
        return failure(TokenError::Expired);
    if ((claims->notBefore.isValid() && claims->notBefore.toSecsSinceEpoch() > nowS + leewayS) ||
        (claims->issuedAt.isValid() && claims->issuedAt.toSecsSinceEpoch() > nowS + leewayS))
        return failure(TokenError::NotYetValid);

    VerifyResult result;
    result.claims = std::move(claims);
    result.secretIndex = matched;
    return result;
}

} // namespace veza::auth
