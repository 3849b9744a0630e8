// The opening handshake: the accept key, parsing upgrade requests (complete, incomplete,
// each invalid case with its HTTP status) and the 101 and error responses.
#include "net/ws/Handshake.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace veza::net::ws;

namespace {
const QByteArray kRfcKey = "dGhlIHNhbXBsZSBub25jZQ==";

QByteArrayList validLines()
{
    return {"GET /chat?access_token=abc HTTP/1.1",
            "Host: example.com:8081",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: " + kRfcKey,
            "Sec-WebSocket-Version: 13"};
}

QByteArray head(const QByteArrayList &lines)
{
    return lines.join("\r\n") + "\r\n\r\n";
}

// validLines() with the line starting with `prefix` replaced (or removed when empty).
QByteArray headWith(QByteArrayView prefix, const QByteArray &replacement)
{
    QByteArrayList lines;
    for (const QByteArray &line : validLines()) {
        if (!line.startsWith(prefix))
            lines << line;
        else if (!replacement.isEmpty())
            lines << replacement;
    }
    return head(lines);
}

struct Response
{
    QByteArray statusLine;
    QByteArrayList headerLines;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const QByteArray &line : headerLines) {
            const qsizetype colon = line.indexOf(':');
            if (QByteArrayView(line).first(colon).compare(name, Qt::CaseInsensitive) == 0)
                return line.sliced(colon + 1).trimmed();
        }
        return {};
    }
    int count(QByteArrayView name) const
    {
        int n = 0;
        for (const QByteArray &line : headerLines)
            n += line.toLower().startsWith(QByteArray(name.toByteArray().toLower() + ':'));
        return n;
    }
};

Response split(const QByteArray &raw)
{
    const qsizetype end = raw.indexOf("\r\n\r\n");
    Response response;
    QByteArrayList lines = raw.first(end).split('\n');
    for (QByteArray &line : lines)
        line.chop(line.endsWith('\r') ? 1 : 0);
    response.statusLine = lines.takeFirst();
    response.headerLines = lines;
    response.body = raw.sliced(end + 4);
    return response;
}
} // namespace

class TestWsHandshake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptKeyOfTheRfcExample()
    {
        // RFC 6455 §1.3 and §4.2.2.
        QCOMPARE(acceptKey(kRfcKey), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    void completeRequestIsParsed()
    {
        const QByteArray request = head({
            "GET /chat%20room/x?access_token=a%2Eb.c%3D&flag&plus=a+b HTTP/1.1",
            "hOsT: example.com",
            "UPGRADE: WebSocket",
            "connection: keep-alive, Upgrade",
            "Sec-WebSocket-Key:   " + kRfcKey + " \t",
            "sec-websocket-version: 13",
            "Sec-WebSocket-Protocol: veza.chat.v1, other ,, third",
            "Authorization: Bearer t0ken",
            "Origin: https://app.example",
            "User-Agent: test/1.0",
            "X-Folded: first",
            " \t second part",
            "X-Twice: one",
            "x-twice: two",
        });
        const QByteArray firstFrame("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58");
        UpgradeRequest parsed;
        const HandshakeParse parse = parseUpgradeRequest(QByteArray(request + firstFrame), &parsed);
        QCOMPARE(parse.status, HandshakeStatus::Complete);
        QCOMPARE(parse.consumed, request.size());
        QCOMPARE(parsed.method, QByteArray("GET"));
        QCOMPARE(parsed.target, QByteArray("/chat%20room/x?access_token=a%2Eb.c%3D&flag&plus=a+b"));
        QCOMPARE(parsed.path, QByteArray("/chat room/x"));
        QCOMPARE(parsed.query, QByteArray("access_token=a%2Eb.c%3D&flag&plus=a+b"));
        QCOMPARE(parsed.queryItem("access_token"), QByteArray("a.b.c="));
        QCOMPARE(parsed.queryItem("plus"), QByteArray("a b")); // form-encoded, as browsers send
        QVERIFY(!parsed.queryItem("flag").isNull());
        QVERIFY(parsed.queryItem("flag").isEmpty());
        QVERIFY(parsed.queryItem("missing").isNull());
        QCOMPARE(parsed.host, QByteArray("example.com"));
        QCOMPARE(parsed.upgrade, QByteArray("WebSocket"));
        QCOMPARE(parsed.connection, QByteArray("keep-alive, Upgrade"));
        QCOMPARE(parsed.key, kRfcKey);
        QCOMPARE(parsed.version, QByteArray("13"));
        QCOMPARE(parsed.protocols, (QByteArrayList{"veza.chat.v1", "other", "third"}));
        QCOMPARE(parsed.authorization, QByteArray("Bearer t0ken"));
        QCOMPARE(parsed.origin, QByteArray("https://app.example"));
        QCOMPARE(parsed.userAgent, QByteArray("test/1.0"));
        QCOMPARE(parsed.header("x-folded"), QByteArray("first second part"));
        QCOMPARE(parsed.header("X-TWICE"), QByteArray("one, two"));
        QVERIFY(parsed.header("X-Absent").isNull());
        QCOMPARE(parsed.headers.size(), 12);
    }

    void incompleteUntilTheEmptyLine()
    {
        const QByteArray request = head(validLines());
        for (qsizetype size = 0; size < request.size(); ++size) {
            const HandshakeParse parse = parseUpgradeRequest(request.first(size), nullptr);
            QVERIFY2(parse.status == HandshakeStatus::Incomplete,
                     qPrintable(QString::number(size)));
            QCOMPARE(parse.consumed, qsizetype(0));
        }
        QCOMPARE(parseUpgradeRequest(request, nullptr).status, HandshakeStatus::Complete);
    }

    void invalidRequests_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        const QByteArray line = "GET "; // prefix of the request line, for headWith()
        QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("double space") << headWith(line, "GET  /chat HTTP/1.1") << 400;
        QTest::newRow("bad version text") << headWith(line, "GET /chat HTTQ/1.1") << 400;
        QTest::newRow("absolute target") << headWith(line, "GET http://h/chat HTTP/1.1") << 400;
        QTest::newRow("bad escape") << headWith(line, "GET /ch%zzat HTTP/1.1") << 400;
        QTest::newRow("POST") << headWith(line, "POST /chat HTTP/1.1") << 405;
        QTest::newRow("HTTP/1.0") << headWith(line, "GET /chat HTTP/1.0") << 505;
        QTest::newRow("HTTP/2.0") << headWith(line, "GET /chat HTTP/2.0") << 505;
        QTest::newRow("no colon") << headWith("Upgrade", "Upgrade websocket") << 400;
        QTest::newRow("space before colon") << headWith("Upgrade", "Upgrade : websocket") << 400;
        QTest::newRow("fold first") << head({"GET / HTTP/1.1", " folded", "Host: h"}) << 400;
        QTest::newRow("no host") << headWith("Host", {}) << 400;
        QTest::newRow("two hosts") << head(validLines() << "Host: other") << 400;
        QTest::newRow("no upgrade") << headWith("Upgrade", {}) << 426;
        QTest::newRow("upgrade h2c") << headWith("Upgrade", "Upgrade: h2c") << 426;
        QTest::newRow("no connection") << headWith("Connection", {}) << 426;
        QTest::newRow("keep-alive only") << headWith("Connection", "Connection: keep-alive") << 426;
        QTest::newRow("no key") << headWith("Sec-WebSocket-Key", {}) << 400;
        QTest::newRow("short key")
            << headWith("Sec-WebSocket-Key", "Sec-WebSocket-Key: abc") << 400;
        QTest::newRow("15-byte key")
            << headWith("Sec-WebSocket-Key", "Sec-WebSocket-Key: " + QByteArray(15, 'k').toBase64())
            << 400;
        QTest::newRow("17-byte key")
            << headWith("Sec-WebSocket-Key", "Sec-WebSocket-Key: " + QByteArray(17, 'k').toBase64())
            << 400;
        QTest::newRow("unpadded key")
            << headWith("Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ") << 400;
        QTest::newRow("non-base64 key")
            << headWith("Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ!!") << 400;
        QTest::newRow("no version") << headWith("Sec-WebSocket-Version", {}) << 426;
        QTest::newRow("version 8")
            << headWith("Sec-WebSocket-Version", "Sec-WebSocket-Version: 8") << 426;
        QTest::newRow("head too large")
            << head(validLines() << "X-Big: " + QByteArray(9000, 'b')) << 431;
        QTest::newRow("endless head")
            << QByteArray("GET / HTTP/1.1\r\nX-Big: " + QByteArray(9000, 'b')) << 431;
        QTest::newRow("bad line before the end")
            << QByteArray("\x16\x03\x01\x02\x00\r\n", 7) << 400;
    }

    void invalidRequests()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        UpgradeRequest parsed;
        const HandshakeParse parse = parseUpgradeRequest(request, &parsed);
        QCOMPARE(parse.status, HandshakeStatus::Invalid);
        QCOMPARE(parse.httpStatus, status);
        QVERIFY(!parse.reason.isEmpty());
    }

    void validRequestIsComplete()
    {
        QCOMPARE(parseUpgradeRequest(head(validLines()), nullptr).status,
                 HandshakeStatus::Complete);
    }

    void switchingProtocolsResponse_data()
    {
        QTest::addColumn<QByteArray>("protocol");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("chat") << QByteArray("veza.chat.v1");
    }

    void switchingProtocolsResponse()
    {
        QFETCH(QByteArray, protocol);
        UpgradeRequest request;
        QCOMPARE(parseUpgradeRequest(head(validLines()), &request).status,
                 HandshakeStatus::Complete);
        const QByteArray raw = veza::net::ws::switchingProtocolsResponse(request, protocol);
        QVERIFY(raw.endsWith("\r\n\r\n"));
        const Response response = split(raw);
        QCOMPARE(response.statusLine, QByteArray("HTTP/1.1 101 Switching Protocols"));
        QCOMPARE(response.header("Upgrade"), QByteArray("websocket"));
        QCOMPARE(response.header("Connection"), QByteArray("Upgrade"));
        QCOMPARE(response.header("Sec-WebSocket-Accept"),
                 QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QCOMPARE(response.count("Sec-WebSocket-Protocol"), protocol.isEmpty() ? 0 : 1);
        QCOMPARE(response.header("Sec-WebSocket-Protocol"), protocol);
        QVERIFY(response.body.isEmpty());
    }

    void errorResponse()
    {
        const Response response =
            split(httpErrorResponse(503, "max_connections", "Retry-After: 5"));
        QCOMPARE(response.statusLine, QByteArray("HTTP/1.1 503 Service Unavailable"));
        QCOMPARE(response.header("Content-Length").toInt(), response.body.size());
        QCOMPARE(response.header("Connection"), QByteArray("close"));
        QCOMPARE(response.header("Retry-After"), QByteArray("5"));
        QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(response.body).object();
        QCOMPARE(body.value("error").toString(), QStringLiteral("unavailable"));
        QCOMPARE(body.value("reason").toString(), QStringLiteral("max_connections"));
    }

    void errorResponseEscapesTheReason()
    {
        const Response response = split(httpErrorResponse(400, "a \"quoted\" \\ line\n\xc3\xa9"));
        QCOMPARE(response.header("Content-Length").toInt(), response.body.size());
        QJsonParseError error;
        const QJsonObject body = QJsonDocument::fromJson(response.body, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(body.value("error").toString(), QStringLiteral("bad_request"));
        QCOMPARE(body.value("reason").toString(),
                 QString::fromUtf8("a \"quoted\" \\ line\n\xc3\xa9"));
    }

    void upgradeRequiredNamesTheVersion()
    {
        const Response response = split(httpErrorResponse(426, "unsupported_websocket_version"));
        QCOMPARE(response.statusLine, QByteArray("HTTP/1.1 426 Upgrade Required"));
        QCOMPARE(response.header("Sec-WebSocket-Version"), QByteArray("13"));
        QCOMPARE(response.header("Upgrade"), QByteArray("websocket"));
        // A caller that passes the header itself does not get it twice.
        const Response again = split(httpErrorResponse(426, "x", "Sec-WebSocket-Version: 13\r\n"));
        QCOMPARE(again.count("Sec-WebSocket-Version"), 1);
    }
};

QTEST_GUILESS_MAIN(TestWsHandshake)
#include "tst_wshandshake.moc"
