// Fuzz target: access tokens (auth::verifyToken), what every chat and API connection checks
// first. A fuzzer cannot forge an HMAC, so the first byte picks what the rest is:
//   0: a whole token, checked as a client would send it;
//   1: the signing input ("header.payload" in base64url), signed here with the server's secret;
//   2: the payload's JSON, put in a token with the usual header and signed here.
// Modes 1 and 2 reach the claim parsing behind the signature. A token that verifies must hold
// what verification promises, and signing its claims again must give a token that verifies to
// the same claims.
#include "FuzzSupport.h"
#include "auth/Hs256.h"
#include "auth/JwtToken.h"

#include <QJsonDocument>

using namespace veza::auth;

namespace {

const QByteArray kSecret("fuzz-secret-0123456789abcdef");
const QByteArray kPreviousSecret("fuzz-previous-secret-0123456789");
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1798761600, Qt::UTC); // 2027-01-01
constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray signedToken(const QByteArray &signingInput)
{
    return signingInput + '.' + hmacSha256(kSecret, signingInput).toBase64(kBase64Url);
}

QByteArray tokenFor(const QByteArray &payloadJson)
{
    const QByteArray header = QByteArray(R"({"alg":"HS256","typ":"JWT"})").toBase64(kBase64Url);
    return signedToken(header + '.' + payloadJson.toBase64(kBase64Url));
}

void checkVerified(const VerifyResult &result)
{
    const Claims &claims = *result.claims;
    FUZZ_CHECK(result.secretIndex == 0 || result.secretIndex == 1);
    FUZZ_CHECK(!claims.subject.isEmpty() && claims.expiresAt.isValid());
    FUZZ_CHECK(kNow.toSecsSinceEpoch() < claims.expiresAt.toSecsSinceEpoch() + 30);
    for (const char *name : {"sub", "name", "roles", "iat", "nbf", "exp"})
        FUZZ_CHECK(!claims.extra.contains(QLatin1StringView(name)));

    // Qt writes control characters as \u escapes: the claims may sign to a longer token than
    // the one verified, possibly past the size limit.
    const QByteArray resigned = signToken(claims, kSecret);
    if (resigned.size() > kMaxTokenSize)
        return;
    const VerifyResult again = verifyToken(resigned, {kSecret}, kNow);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again.claims->subject == claims.subject && again.claims->name == claims.name &&
               again.claims->roles == claims.roles && again.claims->expiresAt == claims.expiresAt &&
               again.claims->notBefore == claims.notBefore &&
               again.claims->issuedAt == claims.issuedAt && again.claims->extra == claims.extra);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    veza::fuzz::quietQtLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(bytes) + 1, qsizetype(size) - 1);
    QByteArray token;
    switch (bytes[0] % 3) {
    case 0:
        token = rest;
        break;
    case 1:
        token = signedToken(rest);
        break;
    default: {
        token = tokenFor(rest);
        TokenError error = TokenError::Malformed;
        const QJsonDocument payload = QJsonDocument::fromJson(rest);
        if (payload.isObject())
            claimsFromJson(payload.object(), &error);
        break;
    }
    }
    const VerifyResult result = verifyToken(token, {kSecret, kPreviousSecret}, kNow);
    FUZZ_CHECK(result.ok() == (result.secretIndex >= 0));
    if (result.ok())
        checkVerified(result);
    return 0;
}
