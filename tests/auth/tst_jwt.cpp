// HS256 access tokens: known answers computed outside this code base (Python's hmac and
// `openssl dgst -mac HMAC`), round trips, and every way a token must be refused.
#include "auth/Hs256.h"
#include "auth/JwtToken.h"

#include <QJsonArray>
#include <QTest>

using namespace veza::auth;

Q_DECLARE_METATYPE(veza::auth::TokenError)

namespace {

constexpr qint64 kNow = 1800000000; // 2027-01-15T08:00:00Z
const QByteArray kSecret = "veza-known-answer-secret";
const QByteArray kPrevious = "the-secret-before-rotation";

// Computed at authoring time with Python (hmac, hashlib, base64) and checked with
// `openssl dgst -sha256 -mac HMAC -macopt key:veza-known-answer-secret`.
// Payload: {"exp":2000000000,"iat":1700000000,"name":"Alice",
//           "roles":["moderator","broadcaster"],"sub":"alice"}
const QByteArray kAliceToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJleHAiOjIwMDAwMDAwMDAsImlhdCI6MTcwMDAwMDAwMCwibmFtZSI6IkFsaWNlIiwicm9sZXMiOlsibW9kZXJhdG9y"
    "IiwiYnJvYWRjYXN0ZXIiXSwic3ViIjoiYWxpY2UifQ."
    "vfub-epV3YQHmgrlQqNuH19z1xUT-QorMqCiJXE5SXY";
// Header {"typ":"JWT", "alg":"HS256"}; payload, spaced as another library might write it:
// { "sub": "bob", "roles": "listener", "exp": 2000000000.75, "nbf": 1700000000, "jti": "abc-1" }
const QByteArray kBobToken =
    "eyJ0eXAiOiJKV1QiLCAiYWxnIjoiSFMyNTYifQ."
    "eyAic3ViIjogImJvYiIsICJyb2xlcyI6ICJsaXN0ZW5lciIsICJleHAiOiAyMDAwMDAwMDAwLjc1LCAibmJmIjogMTcw"
    "MDAwMDAwMCwgImp0aSI6ICJhYmMtMSIgfQ."
    "qlftpbRWJJ5CDEVA8jBo0WcYXtiKIrv9cmIpMtxBurI";

QDateTime at(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
}

QByteArray b64(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// A token with arbitrary header and payload bytes, MACed with HS256 whatever the header says.
QByteArray forge(const QByteArray &header, const QByteArray &payload,
                 const QByteArray &secret = kSecret)
{
    const QByteArray input = b64(header) + '.' + b64(payload);
    return input + '.' + b64(hmacSha256(secret, input));
}

QByteArray hs256(const QByteArray &payload, const QByteArray &secret = kSecret)
{
    return forge(R"({"alg":"HS256","typ":"JWT"})", payload, secret);
}

// `token` with one character of segment `index` replaced, still valid base64url.
QByteArray tamper(const QByteArray &token, int index)
{
    QList<QByteArray> parts = token.split('.');
    QByteArray &part = parts[index];
    const qsizetype middle = part.size() / 2;
    part[middle] = part[middle] == 'A' ? 'B' : 'A';
    return parts.join('.');
}

QByteArray replaceSegment(const QByteArray &token, int index, const QByteArray &segment)
{
    QList<QByteArray> parts = token.split('.');
    parts[index] = segment;
    return parts.join('.');
}

// A signed token of exactly `size` bytes (padding in an extra claim), or empty if the base64
// length arithmetic cannot reach it.
QByteArray signedTokenOfSize(qsizetype size)
{
    for (qsizetype pad = 0; pad < size; ++pad) {
        const QByteArray token =
            hs256(R"({"exp":2000000000,"pad":")" + QByteArray(pad, 'x') + R"(","sub":"a"})");
        if (token.size() == size)
            return token;
        if (token.size() > size)
            break;
    }
    return {};
}

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hmacMatchesRfc4231_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("macHex");
        QTest::newRow("test case 1")
            << QByteArray(20, '\x0b') << QByteArray("Hi There")
            << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        QTest::newRow("test case 2")
            << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
            << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        QTest::newRow("key longer than the block")
            << QByteArray(131, '\xaa')
            << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
            << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    void hmacMatchesRfc4231()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, macHex);
        QCOMPARE(hmacSha256(key, data).toHex(), macHex);
    }

    void constantTimeComparison()
    {
        QVERIFY(equalConstantTime("abc", "abc"));
        QVERIFY(!equalConstantTime("abc", "abd"));
        QVERIFY(!equalConstantTime("abc", "abcd"));
        QVERIFY(equalConstantTime("", ""));
    }

    void signMatchesKnownAnswer()
    {
        Claims claims;
        claims.subject = QStringLiteral("alice");
        claims.name = QStringLiteral("Alice");
        claims.roles = {QStringLiteral("moderator"), QStringLiteral("broadcaster")};
        claims.issuedAt = at(1700000000);
        claims.expiresAt = at(2000000000);
        QCOMPARE(signToken(claims, kSecret), kAliceToken);
    }

    void signRefusesEmptySecret()
    {
        Claims claims;
        claims.subject = QStringLiteral("alice");
        claims.expiresAt = at(2000000000);
        QVERIFY(signToken(claims, QByteArray()).isEmpty());
    }

    void verifyKnownAnswer_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("roles");
        QTest::addColumn<qint64>("expiresAt");
        QTest::addColumn<qint64>("notBefore"); // -1: absent
        QTest::addColumn<QString>("jti");
        QTest::newRow("our own serialisation") << kAliceToken << "alice"
                                               << "Alice" << QStringList{"moderator", "broadcaster"}
                                               << qint64(2000000000) << qint64(-1) << QString();
        QTest::newRow("another library's serialisation")
            << kBobToken << "bob" << QString() << QStringList{"listener"} << qint64(2000000000)
            << qint64(1700000000) << "abc-1";
    }

    void verifyKnownAnswer()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, subject);
        QFETCH(QString, name);
        QFETCH(QStringList, roles);
        QFETCH(qint64, expiresAt);
        QFETCH(qint64, notBefore);
        QFETCH(QString, jti);
        const VerifyResult result = verifyToken(token, {kSecret}, at(kNow));
        QVERIFY2(result.ok(), qPrintable(tokenErrorText(result.error)));
        QCOMPARE(result.secretIndex, 0);
        QCOMPARE(result.claims->subject, subject);
        QCOMPARE(result.claims->name, name);
        QCOMPARE(result.claims->roles, roles);
        QCOMPARE(result.claims->expiresAt.toSecsSinceEpoch(), expiresAt);
        QCOMPARE(result.claims->notBefore.isValid(), notBefore >= 0);
        if (notBefore >= 0)
            QCOMPARE(result.claims->notBefore.toSecsSinceEpoch(), notBefore);
        QCOMPARE(result.claims->extra.value(QStringLiteral("jti")).toString(), jti);
        QVERIFY(!result.claims->extra.contains(QStringLiteral("sub")));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("roles");
        QTest::addColumn<qint64>("notBefore"); // -1: absent
        QTest::addColumn<QJsonObject>("extra");
        QTest::newRow("minimal") << "u1" << QString() << QStringList() << qint64(-1)
                                 << QJsonObject();
        QTest::newRow("all claims")
            << "user-42" << QStringLiteral("Zoë Ça “quoted”") << QStringList{"listener", "admin"}
            << kNow - 60 << QJsonObject{{"iss", "veza"}, {"jti", "0f3a"}};
        QTest::newRow("extra cannot override named claims")
            << "real"
            << "Real" << QStringList{"listener"} << qint64(-1)
            << QJsonObject{
                   {"sub", "fake"}, {"roles", QJsonArray{"admin"}}, {"exp", qint64(4000000000)}};
    }

    void roundTrip()
    {
        QFETCH(QString, subject);
        QFETCH(QString, name);
        QFETCH(QStringList, roles);
        QFETCH(qint64, notBefore);
        QFETCH(QJsonObject, extra);
        Claims claims;
        claims.subject = subject;
        claims.name = name;
        claims.roles = roles;
        claims.issuedAt = at(kNow);
        claims.expiresAt = at(kNow + 3600);
        if (notBefore >= 0)
            claims.notBefore = at(notBefore);
        claims.extra = extra;
        const QByteArray token = signToken(claims, kSecret);
        QVERIFY(!token.isEmpty());

        const VerifyResult result = verifyToken(token, {kSecret}, at(kNow));
        QVERIFY2(result.ok(), qPrintable(tokenErrorText(result.error)));
        QCOMPARE(result.claims->subject, subject);
        QCOMPARE(result.claims->name, name);
        QCOMPARE(result.claims->roles, roles);
        QCOMPARE(result.claims->issuedAt, claims.issuedAt);
        QCOMPARE(result.claims->expiresAt, claims.expiresAt);
        QCOMPARE(result.claims->notBefore, claims.notBefore);
        for (const QString &key :
             {QStringLiteral("sub"), QStringLiteral("roles"), QStringLiteral("exp")})
            extra.remove(key);
        QCOMPARE(result.claims->extra, extra);
    }

    void accepts_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QByteArrayList>("secrets");
        QTest::addColumn<int>("leeway");
        QTest::addColumn<int>("secretIndex");
        const QByteArrayList both = {kSecret, kPrevious};
        QTest::newRow("current secret") << kAliceToken << both << 30 << 0;
        QTest::newRow("previous secret during rotation")
            << hs256(R"({"sub":"a","exp":2000000000})", kPrevious) << both << 30 << 1;
        QTest::newRow("unset previous secret is skipped")
            << kAliceToken << QByteArrayList{QByteArray(), kSecret} << 30 << 1;
        QTest::newRow("expired within leeway")
            << hs256(R"({"sub":"a","exp":1799999971})") << both << 30 << 0;
        QTest::newRow("nbf within leeway")
            << hs256(R"({"sub":"a","exp":2000000000,"nbf":1800000030})") << both << 30 << 0;
        QTest::newRow("iat within leeway")
            << hs256(R"({"sub":"a","exp":2000000000,"iat":1800000030})") << both << 30 << 0;
        QTest::newRow("nbf reached without leeway")
            << hs256(R"({"sub":"a","exp":1800000001,"nbf":1800000000})") << both << 0 << 0;
        QTest::newRow("exactly the size limit")
            << signedTokenOfSize(kMaxTokenSize) << both << 30 << 0;
    }

    void accepts()
    {
        QFETCH(QByteArray, token);
        QFETCH(QByteArrayList, secrets);
        QFETCH(int, leeway);
        QFETCH(int, secretIndex);
        QVERIFY(!token.isEmpty());
        const VerifyResult result =
            verifyToken(token, secrets, at(kNow), std::chrono::seconds(leeway));
        QVERIFY2(result.ok(), qPrintable(tokenErrorText(result.error)));
        QCOMPARE(result.secretIndex, secretIndex);
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QByteArrayList>("secrets");
        QTest::addColumn<int>("leeway");
        QTest::addColumn<TokenError>("expected");
        const QByteArrayList secrets = {kSecret, kPrevious};
        const QByteArray valid = R"({"sub":"a","exp":2000000000})";
        auto row = [&](const char *name, const QByteArray &token, TokenError error, int leeway = 30,
                       const QByteArrayList &keys = {}) {
            QTest::newRow(name) << token << (keys.isEmpty() ? secrets : keys) << leeway << error;
        };

        // Tampering.
        row("tampered payload", tamper(kAliceToken, 1), TokenError::BadSignature);
        row("tampered signature", tamper(kAliceToken, 2), TokenError::BadSignature);
        row("tampered header",
            replaceSegment(kAliceToken, 0, b64(R"({"alg":"HS256","typ":"JWS"})")),
            TokenError::BadSignature);
        row("payload swapped from another token",
            replaceSegment(kAliceToken, 1, kBobToken.split('.').at(1)), TokenError::BadSignature);
        // The last base64 character of a 32-byte MAC carries 2 unused bits.
        row("non-canonical signature spelling",
            kAliceToken.chopped(1) + char(kAliceToken.back() + 1), TokenError::Malformed);
        row("truncated signature", replaceSegment(kAliceToken, 2, b64(QByteArray(16, 'x'))),
            TokenError::BadSignature);
        row("wrong secret", hs256(valid, "some-other-secret"), TokenError::BadSignature);
        row("no secrets", kAliceToken, TokenError::BadSignature, 30, {QByteArray()});
        row("empty key never matches", hs256(valid, QByteArray()), TokenError::BadSignature, 30,
            {QByteArray(), kSecret});

        // Algorithms.
        row("alg none, no signature", b64(R"({"alg":"none","typ":"JWT"})") + '.' + b64(valid) + '.',
            TokenError::UnsupportedAlgorithm);
        row("alg none, with a signature", forge(R"({"alg":"none"})", valid),
            TokenError::UnsupportedAlgorithm);
        row("alg HS512", forge(R"({"alg":"HS512","typ":"JWT"})", valid),
            TokenError::UnsupportedAlgorithm);
        row("alg lower case", forge(R"({"alg":"hs256"})", valid), TokenError::UnsupportedAlgorithm);
        row("alg missing", forge(R"({"typ":"JWT"})", valid), TokenError::UnsupportedAlgorithm);
        row("alg not a string", forge(R"({"alg":256})", valid), TokenError::UnsupportedAlgorithm);
        row("critical extension", forge(R"({"alg":"HS256","crit":["b64"],"b64":false})", valid),
            TokenError::UnsupportedAlgorithm);

        // Time.
        row("expired beyond leeway", hs256(R"({"sub":"a","exp":1799999970})"), TokenError::Expired);
        row("expired now without leeway", hs256(R"({"sub":"a","exp":1800000000})"),
            TokenError::Expired, 0);
        row("nbf beyond leeway", hs256(R"({"sub":"a","exp":2000000000,"nbf":1800000031})"),
            TokenError::NotYetValid);
        row("nbf without leeway", hs256(R"({"sub":"a","exp":2000000000,"nbf":1800000001})"),
            TokenError::NotYetValid, 0);
        row("iat in the future", hs256(R"({"sub":"a","exp":2000000000,"iat":1800000031})"),
            TokenError::NotYetValid);

        // Claims.
        row("missing sub", hs256(R"({"exp":2000000000})"), TokenError::MissingClaim);
        row("empty sub", hs256(R"({"sub":"","exp":2000000000})"), TokenError::MissingClaim);
        row("missing exp", hs256(R"({"sub":"a","iat":1800000000})"), TokenError::MissingClaim);
        row("exp as a string", hs256(R"({"sub":"a","exp":"2000000000"})"), TokenError::Malformed);
        row("nbf as a string", hs256(R"({"sub":"a","exp":2000000000,"nbf":"0"})"),
            TokenError::Malformed);
        row("iat as a boolean", hs256(R"({"sub":"a","exp":2000000000,"iat":true})"),
            TokenError::Malformed);
        row("negative exp", hs256(R"({"sub":"a","exp":-1})"), TokenError::Malformed);
        row("exp after year 9999", hs256(R"({"sub":"a","exp":1e300})"), TokenError::Malformed);
        row("sub as a number", hs256(R"({"sub":42,"exp":2000000000})"), TokenError::Malformed);
        row("name as an object", hs256(R"({"sub":"a","name":{},"exp":2000000000})"),
            TokenError::Malformed);
        row("roles as a number", hs256(R"({"sub":"a","roles":1,"exp":2000000000})"),
            TokenError::Malformed);
        row("roles with a number", hs256(R"({"sub":"a","roles":["admin",1],"exp":2000000000})"),
            TokenError::Malformed);

        // Shape.
        row("empty", QByteArray(), TokenError::Malformed);
        row("one segment", "abc", TokenError::Malformed);
        row("two segments", kAliceToken.left(kAliceToken.lastIndexOf('.')), TokenError::Malformed);
        row("four segments", kAliceToken + ".AAAA", TokenError::Malformed);
        row("empty signature", kAliceToken.left(kAliceToken.lastIndexOf('.') + 1),
            TokenError::Malformed);
        row("empty header", kAliceToken.mid(kAliceToken.indexOf('.')), TokenError::Malformed);
        row("bad base64 in header", "e*J." + kAliceToken.split('.').at(1) + ".AAAA",
            TokenError::Malformed);
        row("standard base64 alphabet",
            kAliceToken.left(kAliceToken.size() - 20) + "+/" + kAliceToken.right(18),
            TokenError::Malformed);
        row("padded segment", replaceSegment(kAliceToken, 0, b64(R"({"alg":"HS256"})") + "=="),
            TokenError::Malformed);
        row("trailing newline", kAliceToken + '\n', TokenError::Malformed);
        row("header not JSON", forge("alg=HS256", valid), TokenError::Malformed);
        row("header a JSON array", forge(R"(["HS256"])", valid), TokenError::Malformed);
        row("payload not JSON (signed)", hs256("sub=a;exp=2000000000"), TokenError::Malformed);
        row("payload a JSON string (signed)", hs256(R"("a")"), TokenError::Malformed);
        row("one byte over the size limit", signedTokenOfSize(kMaxTokenSize + 1),
            TokenError::Malformed);
        row("oversize garbage", QByteArray(1 << 20, 'A'), TokenError::Malformed);
    }

    void rejects()
    {
        QFETCH(QByteArray, token);
        QFETCH(QByteArrayList, secrets);
        QFETCH(int, leeway);
        QFETCH(TokenError, expected);
        const VerifyResult result =
            verifyToken(token, secrets, at(kNow), std::chrono::seconds(leeway));
        QVERIFY(!result.ok());
        QCOMPARE(tokenErrorText(result.error), tokenErrorText(expected));
        QCOMPARE(result.secretIndex, -1);
    }

    void errorTextsAreShortAndDistinct()
    {
        QStringList texts;
        for (TokenError error :
             {TokenError::Malformed, TokenError::BadSignature, TokenError::UnsupportedAlgorithm,
              TokenError::Expired, TokenError::NotYetValid, TokenError::MissingClaim}) {
            const QString text = tokenErrorText(error);
            QVERIFY(!text.isEmpty() && text.size() < 40);
            QVERIFY2(!texts.contains(text), qPrintable(text));
            texts.append(text);
        }
        QCOMPARE(tokenErrorText(TokenError::Expired), QStringLiteral("token expired"));
    }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
