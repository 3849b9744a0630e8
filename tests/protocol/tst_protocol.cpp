// The wire protocol's validation and encoders: what a client written from docs/protocol.md
// alone gets back for every well- and ill-formed frame.
#include "protocol/ClientRequest.h"
#include "protocol/ServerFrames.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace veza::protocol;

namespace {
// Frames are written with single quotes for readability (moc cannot lex raw string literals).
QByteArray json(const char *singleQuoted)
{
    return QByteArray(singleQuoted).replace('\'', '"');
}

QByteArray unquote(QByteArray singleQuoted)
{
    return singleQuoted.replace('\'', '"');
}

QJsonObject decode(const QByteArray &frame)
{
    return QJsonDocument::fromJson(frame).object();
}
} // namespace

class TestProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validFramesAreAccepted_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("type");
        QTest::newRow("ping") << json("{'type':'ping'}") << "ping";
        QTest::newRow("auth") << json("{'type':'auth','token':'a.b.c'}") << "auth";
        QTest::newRow("join") << json("{'type':'join','id':'1','room':'lobby'}") << "join";
        QTest::newRow("numeric id") << json("{'type':'rooms','id':42}") << "rooms";
        QTest::newRow("send")
            << json("{'type':'send','id':'2','room':'lobby','body':'hi','client_msg_id':'c1'}")
            << "send";
        QTest::newRow("send e2e")
            << json("{'type':'send','id':'2','room':'x','ciphertext':'AAEC','algorithm':'olm','"
                    "sender_device':'d1','client_msg_id':'c2'}")
            << "send";
        QTest::newRow("edit")
            << json("{'type':'edit','id':3,'room':'lobby','message_id':7,'body':'fixed'}")
            << "edit";
        QTest::newRow("typing without id") << json("{'type':'typing','room':'lobby'}") << "typing";
        QTest::newRow("history")
            << json("{'type':'history','id':'h','room':'lobby','before':100,'limit':50}")
            << "history";
        QTest::newRow("history of a direct room of two long ids")
            << unquote("{'type':'history','id':'h','room':'@direct:" + QByteArray(64, 'a') + ":" +
                       QByteArray(64, 'b') + "'}")
            << "history";
        QTest::newRow("resume")
            << json("{'type':'resume','id':'r','rooms':[{'room':'lobby','after':12}]}") << "resume";
        QTest::newRow("ban global")
            << json("{'type':'ban','id':'b','user':'mallory','reason':'spam'}") << "ban";
        QTest::newRow("invite") << json("{'type':'invite','id':'i','room':'staff','user':'bob'}")
                                << "invite";
        QTest::newRow("kick")
            << json("{'type':'kick','id':'k','room':'staff','user':'bob','reason':'bye'}")
            << "kick";
        QTest::newRow("dm")
            << json("{'type':'dm','id':'d','to':'bob','body':'psst','client_msg_id':'c3'}") << "dm";
        QTest::newRow("unknown extra field kept")
            << json("{'type':'join','id':'1','room':'a','future':true}") << "join";
    }

    void validFramesAreAccepted()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, type);
        const ParseResult result = parseClientFrame(frame, {});
        QVERIFY2(result.request, qPrintable(result.error ? result.error->message : QString()));
        QCOMPARE(messageTypeName(result.request->type), type);
        QVERIFY(!result.request->fields.contains(QStringLiteral("type")));
    }

    void badFramesAreRefusedWithAReason_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<QJsonValue>("echoedId");
        QTest::newRow("not json") << QByteArray("hello") << "bad_request"
                                  << "JSON object" << QJsonValue();
        QTest::newRow("array") << QByteArray("[1,2]") << "bad_request"
                               << "JSON object" << QJsonValue();
        QTest::newRow("no type") << json("{'id':'1'}") << "bad_request"
                                 << "\"type\"" << QJsonValue("1");
        QTest::newRow("unknown type") << json("{'type':'teleport','id':'1'}") << "bad_request"
                                      << "unknown message type" << QJsonValue("1");
        QTest::newRow("server-only type") << json("{'type':'ack','id':'1'}") << "bad_request"
                                          << "unknown message type" << QJsonValue("1");
        QTest::newRow("missing id") << json("{'type':'join','room':'a'}") << "bad_request"
                                    << "\"id\"" << QJsonValue();
        QTest::newRow("object id") << json("{'type':'join','id':{},'room':'a'}") << "bad_request"
                                   << "\"id\"" << QJsonValue();
        QTest::newRow("missing room") << json("{'type':'join','id':'1'}") << "bad_request"
                                      << "missing field \"room\"" << QJsonValue("1");
        QTest::newRow("room not a string")
            << json("{'type':'join','id':'1','room':5}") << "bad_request"
            << "must be a string" << QJsonValue("1");
        QTest::newRow("empty room") << json("{'type':'join','id':'1','room':''}") << "bad_request"
                                    << "must not be empty" << QJsonValue("1");
        QTest::newRow("new room name too long")
            << unquote(QByteArray("{'type':'create_room','id':'1','room':'" + QByteArray(65, 'r') +
                                  "'}"))
            << "bad_request"
            << "longer than 64" << QJsonValue("1");
        // Rooms named in other requests may be direct rooms: the prefix and two escaped ids.
        QTest::newRow("room too long")
            << unquote(QByteArray("{'type':'join','id':'1','room':'" + QByteArray(266, 'r') + "'}"))
            << "bad_request"
            << "longer than 265" << QJsonValue("1");
        QTest::newRow("kick without user")
            << json("{'type':'kick','id':'1','room':'staff'}") << "bad_request"
            << "missing field \"user\"" << QJsonValue("1");
        QTest::newRow("negative id field")
            << json("{'type':'delete','id':'1','room':'a','message_id':-1}") << "bad_request"
            << "non-negative integer" << QJsonValue("1");
        QTest::newRow("fractional id field")
            << json("{'type':'delete','id':'1','room':'a','message_id':1.5}") << "bad_request"
            << "non-negative integer" << QJsonValue("1");
        QTest::newRow("bool as string")
            << json("{'type':'lock','id':'1','room':'a','locked':'yes'}") << "bad_request"
            << "true or false" << QJsonValue("1");
        QTest::newRow("neither body nor ciphertext")
            << json("{'type':'send','id':'1','room':'a','client_msg_id':'c'}") << "bad_request"
            << "exactly one of" << QJsonValue("1");
        QTest::newRow("both body and ciphertext")
            << json("{'type':'send','id':'1','room':'a','client_msg_id':'c','body':'x','ciphertext'"
                    ":'y'}")
            << "bad_request"
            << "exactly one of" << QJsonValue("1");
        QTest::newRow("body too large")
            << unquote(QByteArray("{'type':'send','id':9,'room':'a','client_msg_id':'c','body':'" +
                                  QByteArray(8193, 'x') + "'}"))
            << "too_large"
            << "8192 bytes" << QJsonValue(9);
        QTest::newRow("multibyte body too large")
            << unquote(QByteArray("{'type':'send','id':9,'room':'a','client_msg_id':'c','body':'" +
                                  QByteArray("\xc3\xa9").repeated(4097) + "'}"))
            << "too_large"
            << "8192 bytes" << QJsonValue(9);
    }

    void badFramesAreRefusedWithAReason()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, code);
        QFETCH(QString, messagePart);
        QFETCH(QJsonValue, echoedId);
        const ParseResult result = parseClientFrame(frame, {});
        QVERIFY(!result.request);
        QVERIFY(result.error);
        QCOMPARE(errorCodeName(result.error->code), code);
        QVERIFY2(result.error->message.contains(messagePart), qPrintable(result.error->message));
        QCOMPARE(result.error->id, echoedId);
    }

    void bodyLimitFollowsConfiguration()
    {
        const QByteArray frame =
            unquote("{'type':'send','id':'1','room':'a','client_msg_id':'c','body':'" +
                    QByteArray(100, 'x') + "'}");
        QVERIFY(parseClientFrame(frame, ParseLimits{100}).request);
        QCOMPARE(parseClientFrame(frame, ParseLimits{99}).error->code, ErrorCode::TooLarge);
    }

    void framesHaveTheDocumentedShape()
    {
        const QJsonObject ack =
            decode(ackFrame(QJsonValue(QStringLiteral("7")), {{QStringLiteral("message_id"), 12}}));
        QCOMPARE(ack, QJsonObject({{QStringLiteral("type"), QStringLiteral("ack")},
                                   {QStringLiteral("id"), QStringLiteral("7")},
                                   {QStringLiteral("message_id"), 12}}));

        const QJsonObject error =
            decode(errorFrame(QJsonValue(3), ErrorCode::RateLimited, QStringLiteral("slow down"),
                              {{QStringLiteral("retry_after_ms"), 250}}));
        QCOMPARE(error.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(error.value(QStringLiteral("id")).toInt(), 3);
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("rate_limited"));
        QCOMPARE(error.value(QStringLiteral("retry_after_ms")).toInt(), 250);

        const QJsonObject anonymous =
            decode(errorFrame(QJsonValue(), ErrorCode::BadRequest, QStringLiteral("x")));
        QVERIFY(!anonymous.contains(QStringLiteral("id")));

        QCOMPARE(decode(eventFrame(MessageType::Pong)),
                 QJsonObject({{QStringLiteral("type"), QStringLiteral("pong")}}));
    }

    void namesAreUniqueAndRoundTrip()
    {
        QSet<QString> seen;
        for (int i = 0; i <= static_cast<int>(MessageType::PrekeyClaim); ++i) {
            const auto type = static_cast<MessageType>(i);
            const QString name = messageTypeName(type);
            QVERIFY2(!seen.contains(name), qPrintable(name));
            seen.insert(name);
            QCOMPARE(messageTypeFromName(name), std::optional<MessageType>(type));
        }
        QCOMPARE(errorCodeName(ErrorCode::BadRequest), QLatin1StringView("bad_request"));
        QCOMPARE(errorCodeName(ErrorCode::Unauthorized), QLatin1StringView("unauthorized"));
        QCOMPARE(errorCodeName(ErrorCode::Internal), QLatin1StringView("internal"));
    }
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
