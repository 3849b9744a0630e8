// The HTTP/1.1 codec: request heads (any method, HTTP/1.0 and 1.1, limits and syntax errors
// with their status, a head arriving in pieces), body framing, keep-alive rules and the
// serialized response.
#include "net/http/HeadProgress.h"
#include "net/http/HttpResponse.h"
#include "net/http/RequestBody.h"
#include "net/http/RequestHead.h"

#include <QTest>

using namespace veza::net::http;

namespace {
QByteArray head(const QByteArrayList &lines)
{
    return lines.join("\r\n") + "\r\n\r\n";
}

RequestHead parsed(const QByteArray &text)
{
    RequestHead request;
    const HeadParse parse = parseRequestHead(text, &request, 16 * 1024);
    if (parse.status != ParseStatus::Complete)
        qWarning() << "not complete:" << parse.httpStatus << parse.reason;
    return request;
}
} // namespace

class TestHttpParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Query values arrive as browsers, curl --data-urlencode and Icecast encoders send them.
    void queryItemsAreFormDecoded_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("plus is a space")
            << QByteArray("song=Artist+-+Title") << QByteArray("Artist - Title");
        QTest::newRow("%20 is a space")
            << QByteArray("song=Artist%20-%20Title") << QByteArray("Artist - Title");
        QTest::newRow("%2B is a plus") << QByteArray("song=C%2B%2B") << QByteArray("C++");
        QTest::newRow("utf-8") << QByteArray("song=Caf%C3%A9+%E2%99%AB")
                               << QByteArray("Caf\xC3\xA9 \xE2\x99\xAB");
        QTest::newRow("escaped name") << QByteArray("s%6Fng=x") << QByteArray("x");
        QTest::newRow("lone percent kept") << QByteArray("song=100%") << QByteArray("100%");
        QTest::newRow("empty") << QByteArray("song=") << QByteArray("");
    }
    void queryItemsAreFormDecoded()
    {
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, value);
        const RequestHead request =
            parsed(head({"GET /admin/metadata?" + query + " HTTP/1.1", "Host: h"}));
        QCOMPARE(request.queryItem("song"), value);
    }

    void completeRequestIsParsed()
    {
        const QByteArray text = head({"GET /api/x%20y?room=lobby&limit=5 HTTP/1.1", "Host: h",
                                      "X-Multi: a", "x-multi: b", "Folded: one", "  two"}) +
                                "rest";
        RequestHead request;
        const HeadParse parse = parseRequestHead(text, &request, 16 * 1024);
        QCOMPARE(parse.status, ParseStatus::Complete);
        QCOMPARE(parse.consumed, text.size() - 4);
        QCOMPARE(request.method, QByteArray("GET"));
        QCOMPARE(request.path, QByteArray("/api/x y"));
        QCOMPARE(request.query, QByteArray("room=lobby&limit=5"));
        QCOMPARE(request.minorVersion, 1);
        QCOMPARE(request.queryItem("room"), QByteArray("lobby"));
        QCOMPARE(request.queryItem("limit"), QByteArray("5"));
        QVERIFY(request.queryItem("user").isNull());
        QCOMPARE(request.header("X-MULTI"), QByteArray("a, b"));
        QCOMPARE(request.header("folded"), QByteArray("one two"));
        QVERIFY(request.header("absent").isNull());
    }

    void anyTokenIsAMethod()
    {
        QCOMPARE(parsed(head({"SOURCE /live/radio HTTP/1.0"})).method, QByteArray("SOURCE"));
        QCOMPARE(parsed(head({"PUT /live/radio HTTP/1.1", "Host: h"})).method, QByteArray("PUT"));
        QCOMPARE(parsed(head({"M-SEARCH / HTTP/1.1", "Host: h"})).method, QByteArray("M-SEARCH"));
    }

    void iceSourceIsHttp10()
    {
        const RequestHead request = parsed(head({"SOURCE /live/radio ICE/1.0", "ice-name: x"}));
        QCOMPARE(request.method, QByteArray("SOURCE"));
        QVERIFY(request.ice);
        QCOMPARE(request.minorVersion, 0);
        QCOMPARE(request.header("ice-name"), QByteArray("x"));
        // ICE/1.0 belongs to SOURCE only.
        HeadParse refused = parseRequestHead(head({"GET / ICE/1.0"}), nullptr, 16 * 1024);
        QCOMPARE(refused.status, ParseStatus::Invalid);
        QCOMPARE(refused.httpStatus, 400);
    }

    void http10NeedsNoHost()
    {
        const RequestHead request = parsed(head({"GET / HTTP/1.0"}));
        QCOMPARE(request.minorVersion, 0);
        QCOMPARE(request.path, QByteArray("/"));
    }

    void incompleteUntilTheEmptyLine()
    {
        const QByteArray text = head({"GET / HTTP/1.1", "Host: h"});
        for (qsizetype size = 0; size < text.size(); ++size)
            QCOMPARE(parseRequestHead(text.first(size), nullptr, 16 * 1024).status,
                     ParseStatus::Incomplete);
        QCOMPARE(parseRequestHead(text, nullptr, 16 * 1024).status, ParseStatus::Complete);
    }

    // A head trickled a byte per read is parsed when its request line ends, when it ends, and
    // not in between (seen while fuzzing the reader in pieces: each read searched the whole head
    // again, 200 ms of a network thread for 16 KiB).
    void headProgressAsksForParsingOnlyWhenTheAnswerCanChange_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("piece");
        QTest::addColumn<QList<qsizetype>>("parseAt"); // sizes received when worth parsing
        const QByteArray request = head({"GET / HTTP/1.1", "Host: h", "X: a"});
        QTest::newRow("byte by byte") << request << 1 << QList<qsizetype>{16, request.size()};
        QTest::newRow("terminator across reads")
            << request << 3 << QList<qsizetype>{18, request.size()};
        QTest::newRow("whole") << request << int(request.size())
                               << QList<qsizetype>{request.size()};
        QTest::newRow("garbage line") << QByteArray("HELLO\r\n") << 1 << QList<qsizetype>{7};
        // Past the limit every read is worth parsing: the answer is then 431.
        QTest::newRow("endless head") << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(25, 'a'))
                                      << 1 << QList<qsizetype>{16, 40, 41, 42, 43, 44};
    }
    void headProgressAsksForParsingOnlyWhenTheAnswerCanChange()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, piece);
        QFETCH(QList<qsizetype>, parseAt);
        constexpr qsizetype maxHeadBytes = 40;
        HeadProgress progress;
        QList<qsizetype> asked;
        for (qsizetype size = piece; size < text.size() + piece; size += piece) {
            const qsizetype received = qMin(size, text.size());
            if (progress.worthParsing(QByteArrayView(text).first(received), maxHeadBytes))
                asked.append(received);
        }
        QCOMPARE(asked, parseAt);
    }

    void trickledHeadParsesAsAWholeOne()
    {
        const QByteArray text = head({"GET /a HTTP/1.1", "Host: h", "X: " + QByteArray(8000, 'x')});
        HeadProgress progress;
        int parses = 0;
        HeadParse parse;
        for (qsizetype size = 1; size <= text.size(); ++size) {
            const QByteArrayView received = QByteArrayView(text).first(size);
            if (!progress.worthParsing(received, 16 * 1024))
                continue;
            ++parses;
            parse = parseRequestHead(received, nullptr, 16 * 1024);
        }
        QCOMPARE(parses, 2);
        QCOMPARE(parse.status, ParseStatus::Complete);
        QCOMPARE(parse.consumed, text.size());
    }

    void invalidRequests_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("HELLO\r\n") << 400;
        QTest::newRow("tls hello") << QByteArray("\x16\x03\x01\x02\x01 x\r\n") << 400;
        QTest::newRow("double space") << head({"GET  / HTTP/1.1", "Host: h"}) << 400;
        QTest::newRow("bad method") << head({"GE(T / HTTP/1.1", "Host: h"}) << 400;
        QTest::newRow("absolute target") << head({"GET http://h/ HTTP/1.1", "Host: h"}) << 400;
        QTest::newRow("bad escape") << head({"GET /a%zz HTTP/1.1", "Host: h"}) << 400;
        QTest::newRow("HTTP/2.0") << head({"GET / HTTP/2.0", "Host: h"}) << 505;
        QTest::newRow("no colon") << head({"GET / HTTP/1.1", "Host: h", "Bad header"}) << 400;
        QTest::newRow("space before colon") << head({"GET / HTTP/1.1", "Host : h"}) << 400;
        QTest::newRow("fold first") << head({"GET / HTTP/1.1", " folded", "Host: h"}) << 400;
        QTest::newRow("no host") << head({"GET / HTTP/1.1", "Accept: */*"}) << 400;
        QTest::newRow("two hosts") << head({"GET / HTTP/1.1", "Host: a", "Host: b"}) << 400;
        QTest::newRow("head too large")
            << head({"GET / HTTP/1.1", "Host: h", "X: " + QByteArray(17 * 1024, 'a')}) << 431;
        QTest::newRow("endless head")
            << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(17 * 1024, 'a')) << 431;
    }

    void invalidRequests()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        const HeadParse parse = parseRequestHead(request, nullptr, 16 * 1024);
        QCOMPARE(parse.status, ParseStatus::Invalid);
        QCOMPARE(parse.httpStatus, status);
        QVERIFY(!parse.reason.isEmpty());
    }

    void bodyFraming_data()
    {
        QTest::addColumn<QByteArrayList>("headers");
        QTest::addColumn<int>("status"); // 0: accepted
        QTest::addColumn<qint64>("length");
        QTest::newRow("none") << QByteArrayList{} << 0 << qint64(0);
        QTest::newRow("length") << QByteArrayList{"Content-Length: 12"} << 0 << qint64(12);
        QTest::newRow("same twice")
            << QByteArrayList{"Content-Length: 3", "Content-Length: 3"} << 0 << qint64(3);
        QTest::newRow("at the cap")
            << QByteArrayList{"Content-Length: 1048576"} << 0 << qint64(1048576);
        QTest::newRow("over the cap")
            << QByteArrayList{"Content-Length: 1048577"} << 413 << qint64(0);
        QTest::newRow("conflicting")
            << QByteArrayList{"Content-Length: 3", "Content-Length: 4"} << 400 << qint64(0);
        QTest::newRow("negative") << QByteArrayList{"Content-Length: -1"} << 400 << qint64(0);
        QTest::newRow("not a number") << QByteArrayList{"Content-Length: 1e3"} << 400 << qint64(0);
        QTest::newRow("chunked") << QByteArrayList{"Transfer-Encoding: chunked"} << 501
                                 << qint64(0);
        QTest::newRow("gzip") << QByteArrayList{"Transfer-Encoding: gzip"} << 501 << qint64(0);
    }

    void bodyFraming()
    {
        QFETCH(QByteArrayList, headers);
        QFETCH(int, status);
        QFETCH(qint64, length);
        const BodyFraming framing = veza::net::http::bodyFraming(
            parsed(head(QByteArrayList{"POST / HTTP/1.1", "Host: h"} + headers)), 1024 * 1024);
        QCOMPARE(framing.ok, status == 0);
        QCOMPARE(framing.httpStatus, status);
        QCOMPARE(framing.length, length);
    }

    void keepAliveRules()
    {
        QVERIFY(wantsKeepAlive(parsed(head({"GET / HTTP/1.1", "Host: h"}))));
        QVERIFY(!wantsKeepAlive(parsed(head({"GET / HTTP/1.1", "Host: h", "Connection: close"}))));
        QVERIFY(!wantsKeepAlive(parsed(head({"GET / HTTP/1.0"}))));
        QVERIFY(wantsKeepAlive(parsed(head({"GET / HTTP/1.0", "Connection: Keep-Alive"}))));
        QVERIFY(
            expectsContinue(parsed(head({"PUT / HTTP/1.1", "Host: h", "Expect: 100-continue"}))));
        QVERIFY(!expectsContinue(parsed(head({"PUT / HTTP/1.0", "Expect: 100-continue"}))));
    }

    void responseIsSerialized()
    {
        HttpResponse response = HttpResponse::json(404, {{QStringLiteral("error"), 1}});
        response.headers.append({QByteArray("Allow"), QByteArray("GET")});
        const QByteArray closing = serialize(response, false, false);
        QVERIFY(closing.startsWith("HTTP/1.1 404 Not Found\r\n"));
        QVERIFY(closing.contains("\r\nContent-Type: application/json\r\n"));
        QVERIFY(closing.contains("\r\nAllow: GET\r\n"));
        QVERIFY(closing.contains("\r\nContent-Length: 11\r\n"));
        QVERIFY(closing.contains("\r\nConnection: close\r\n"));
        QVERIFY(closing.endsWith("\r\n\r\n{\"error\":1}"));

        const QByteArray head = serialize(response, true, true);
        QVERIFY(!head.contains("Connection:"));
        QVERIFY(head.contains("\r\nContent-Length: 11\r\n"));
        QVERIFY(head.endsWith("\r\n\r\n"));
        QVERIFY(serialize(response, true, false, 0).contains("\r\nConnection: keep-alive\r\n"));
    }

    void noContentHasNoLength()
    {
        HttpResponse response;
        response.status = 204;
        const QByteArray bytes = serialize(response, true, false);
        QCOMPARE(bytes, QByteArray("HTTP/1.1 204 No Content\r\n\r\n"));
        HttpResponse closing;
        closing.status = 200;
        closing.closeConnection = true; // the connection's business, not the serializer's
        QVERIFY(serialize(closing, true, false).contains("Content-Length: 0\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_httpparser.moc"
