// Reports and the review queue against the real binary: members report messages (chat `report`
// and POST /api/reports) with a reason from the fixed list; moderators online are told at once;
// the queue keeps the reported body after its author deletes it; a moderator resolves a report
// by dismissing it or by a moderation action applied in the same call; reports are rate limited
// per user; the queue is for moderators, and a room's moderators read its reports and
// sanctions only. Also registered as tst_reports_postgresql (the same on PostgreSQL).
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUuid>

using namespace veza::testing;

namespace {

QString typeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("type")).toString();
}

QString codeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("code")).toString();
}

} // namespace

class TestReports : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatTestClient> joined(const QString &user, const QString &roles = {})
    {
        auto client = std::make_unique<ChatTestClient>();
        client->open(m_server->webSocketPort(), m_server->token(user, roles));
        if (!client->waitConnected() ||
            typeOf(client->answerTo(client->request(
                QStringLiteral("join"), {{QStringLiteral("room"), u"lobby"_qs}}))) != u"ack")
            return nullptr;
        return client;
    }

    static qint64 say(ChatTestClient &client, const QString &body)
    {
        return client
            .answerTo(client.request(QStringLiteral("send"),
                                     {{QStringLiteral("room"), u"lobby"_qs},
                                      {QStringLiteral("body"), body},
                                      {QStringLiteral("client_msg_id"),
                                       QUuid::createUuid().toString(QUuid::WithoutBraces)}}))
            .value(QStringLiteral("message_id"))
            .toInteger();
    }

    static QJsonObject report(ChatTestClient &client, qint64 messageId, const QString &reason)
    {
        return client.answerTo(client.request(
            QStringLiteral("report"), {{QStringLiteral("room"), u"lobby"_qs},
                                       {QStringLiteral("message_id"), messageId},
                                       {QStringLiteral("reason"), reason},
                                       {QStringLiteral("details"), u"again and again"_qs}}));
    }

    HttpReply http(const QByteArray &method, const QByteArray &path, const QByteArray &token,
                   const QJsonObject &body = {})
    {
        HttpProbe probe(m_server->httpPort());
        return probe.request(
            method, path,
            body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
            5000, "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n");
    }

    QJsonArray queue(const QByteArray &query)
    {
        return http("GET", "/api/reports" + query, m_moderatorToken)
            .json()
            .value(QStringLiteral("reports"))
            .toArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_moderatorToken = m_server->token(QStringLiteral("mod"), QStringLiteral("moderator"));
    }

    void cleanupTestCase() { m_server.reset(); }

    void reportReachesTheQueueAndOutlivesTheMessage()
    {
        auto alice = joined(QStringLiteral("alice"));
        auto bob = joined(QStringLiteral("bob"));
        auto moderator = joined(QStringLiteral("mod"), QStringLiteral("moderator"));
        QVERIFY(alice && bob && moderator);
        const qint64 insult = say(*bob, QStringLiteral("you are all idiots"));

        QCOMPARE(codeOf(report(*alice, insult, QStringLiteral("rude"))),
                 QStringLiteral("bad_request"));
        const QJsonObject filed = report(*alice, insult, QStringLiteral("harassment"));
        QCOMPARE(typeOf(filed), QStringLiteral("ack"));
        const qint64 id = filed.value(QStringLiteral("report_id")).toInteger();
        QVERIFY(id > 0);
        const QJsonObject pushed = moderator->waitFor(QStringLiteral("report"));
        QCOMPARE(pushed.value(QStringLiteral("report_id")).toInteger(), id);
        QCOMPARE(pushed.value(QStringLiteral("reason")).toString(), QStringLiteral("harassment"));
        QCOMPARE(pushed.value(QStringLiteral("source")).toString(), QStringLiteral("user"));
        QCOMPARE(alice->countOf(QStringLiteral("report")), 0); // members are not told

        // The author deletes it: the queue still shows what was said.
        QCOMPARE(typeOf(bob->answerTo(bob->request(QStringLiteral("delete"),
                                                   {{QStringLiteral("room"), u"lobby"_qs},
                                                    {QStringLiteral("message_id"), insult}}))),
                 QStringLiteral("ack"));
        const QJsonArray open = queue("?status=open");
        QCOMPARE(open.size(), 1);
        const QJsonObject entry = open[0].toObject();
        QCOMPARE(entry.value(QStringLiteral("body")).toString(),
                 QStringLiteral("you are all idiots"));
        QCOMPARE(entry.value(QStringLiteral("author")).toString(), QStringLiteral("bob"));
        QCOMPARE(entry.value(QStringLiteral("reporter")).toString(), QStringLiteral("alice"));
        QCOMPARE(entry.value(QStringLiteral("details")).toString(),
                 QStringLiteral("again and again"));
        QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("open"));

        // Who may read the queue.
        QCOMPARE(http("GET", "/api/reports", m_server->token(u"alice"_qs)).status, 403);
        QCOMPARE(http("GET", "/api/reports?status=maybe", m_moderatorToken).status, 400);
    }

    void resolvingAppliesTheActionOrDismisses()
    {
        auto carol = joined(QStringLiteral("carol"));
        auto dan = joined(QStringLiteral("dan"));
        QVERIFY(carol && dan);
        const qint64 spam = say(*dan, QStringLiteral("buy now"));
        const qint64 joke = say(*dan, QStringLiteral("a bad joke"));
        // Over HTTP too, by any member.
        const HttpReply first = http("POST", "/api/reports", m_server->token(u"carol"_qs),
                                     {{QStringLiteral("room"), u"lobby"_qs},
                                      {QStringLiteral("message_id"), spam},
                                      {QStringLiteral("reason"), u"spam"_qs}});
        QCOMPARE(first.status, 201);
        const qint64 spamReport = first.json().value(QStringLiteral("report_id")).toInteger();
        const qint64 jokeReport = report(*carol, joke, QStringLiteral("other"))
                                      .value(QStringLiteral("report_id"))
                                      .toInteger();

        const QByteArray resolve = "/api/reports/" + QByteArray::number(spamReport) + "/resolve";
        const QJsonObject timeout{{QStringLiteral("outcome"), u"timeout"_qs},
                                  {QStringLiteral("seconds"), 60},
                                  {QStringLiteral("note"), u"first warning"_qs}};
        // Not a moderator: the report does not exist for them.
        QCOMPARE(http("POST", resolve, m_server->token(u"carol"_qs), timeout).status, 404);
        const HttpReply done = http("POST", resolve, m_moderatorToken, timeout);
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json().value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("timeout"));
        // The action took effect: dan is timed out in the room.
        QCOMPARE(codeOf(dan->answerTo(dan->request(QStringLiteral("send"),
                                                   {{QStringLiteral("room"), u"lobby"_qs},
                                                    {QStringLiteral("body"), u"more"_qs},
                                                    {QStringLiteral("client_msg_id"), u"m"_qs}}))),
                 QStringLiteral("forbidden"));
        QCOMPARE(http("POST", resolve, m_moderatorToken, timeout).status, 409);
        // Paths and bodies that name nothing.
        QCOMPARE(http("POST", "/api/reports/x/resolve", m_moderatorToken, timeout).status, 404);
        QCOMPARE(http("POST", "/api/reports/999999/resolve", m_moderatorToken, timeout).status,
                 404);
        QCOMPARE(http("POST", "/api/reports", m_server->token(u"carol"_qs),
                      {{QStringLiteral("room"), u"lobby"_qs}})
                     .status,
                 400); // no message_id, no reason

        const QByteArray dismiss = "/api/reports/" + QByteArray::number(jokeReport) + "/resolve";
        QCOMPARE(
            http("POST", dismiss, m_moderatorToken, {{QStringLiteral("outcome"), u"dismiss"_qs}})
                .status,
            200);
        QCOMPARE(http("POST", dismiss, m_moderatorToken, {{QStringLiteral("outcome"), u"nuke"_qs}})
                     .status,
                 400);

        QHash<qint64, QJsonObject> resolved;
        for (const QJsonValue &row : queue("?status=resolved"))
            resolved.insert(row.toObject().value(QStringLiteral("id")).toInteger(), row.toObject());
        QCOMPARE(resolved.value(spamReport).value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("timeout"));
        QCOMPARE(resolved.value(spamReport).value(QStringLiteral("note")).toString(),
                 QStringLiteral("first warning"));
        QCOMPARE(resolved.value(spamReport).value(QStringLiteral("resolved_by")).toString(),
                 QStringLiteral("mod"));
        QCOMPARE(resolved.value(jokeReport).value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("dismiss"));
    }

    // A moderator granted one room reads that room's queue and sanctions, nothing else.
    void roomModeratorsReadTheirRoomsOnly()
    {
        auto olga = joined(QStringLiteral("olga"));
        auto pat = joined(QStringLiteral("pat"));
        auto gus = joined(QStringLiteral("gus"));
        QVERIFY(olga && pat && gus);
        const auto ask = [](ChatTestClient &client, const QString &type, const QJsonObject &f) {
            return client.answerTo(client.request(type, f));
        };
        QCOMPARE(typeOf(ask(*olga, u"create_room"_qs, {{u"room"_qs, u"den"_qs}})), u"ack"_qs);
        QCOMPARE(typeOf(ask(*gus, u"join"_qs, {{u"room"_qs, u"den"_qs}})), u"ack"_qs);
        QCOMPARE(
            typeOf(ask(*olga, u"grant"_qs, {{u"room"_qs, u"den"_qs}, {u"user"_qs, u"pat"_qs}})),
            u"ack"_qs);
        const qint64 inDen =
            ask(*gus, u"send"_qs,
                {{u"room"_qs, u"den"_qs},
                 {u"body"_qs, u"den spam"_qs},
                 {u"client_msg_id"_qs, QUuid::createUuid().toString(QUuid::WithoutBraces)}})
                .value(u"message_id")
                .toInteger();
        const qint64 inLobby = say(*gus, QStringLiteral("lobby spam"));
        QCOMPARE(
            typeOf(ask(
                *olga, u"report"_qs,
                {{u"room"_qs, u"den"_qs}, {u"message_id"_qs, inDen}, {u"reason"_qs, u"spam"_qs}})),
            u"ack"_qs);
        QCOMPARE(typeOf(report(*olga, inLobby, QStringLiteral("spam"))), u"ack"_qs);
        QCOMPARE(
            typeOf(ask(*pat, u"timeout"_qs,
                       {{u"room"_qs, u"den"_qs}, {u"user"_qs, u"gus"_qs}, {u"seconds"_qs, 600}})),
            u"ack"_qs);

        const QByteArray patToken = m_server->token(u"pat"_qs);
        const QJsonArray mine =
            http("GET", "/api/reports?status=open", patToken).json().value(u"reports").toArray();
        QCOMPARE(mine.size(), 1);
        QCOMPARE(mine[0][u"room"].toString(), u"den"_qs);
        QCOMPARE(mine[0][u"body"].toString(), u"den spam"_qs);
        QCOMPARE(http("GET", "/api/reports?room=lobby", patToken)
                     .json()
                     .value(u"reports")
                     .toArray()
                     .size(),
                 0);
        // The global queue has both.
        QVERIFY(queue("?status=open").size() >= 2);

        const HttpReply denSanctions = http("GET", "/api/sanctions?room=den", patToken);
        QCOMPARE(denSanctions.status, 200);
        const QJsonArray sanctions = denSanctions.json().value(u"sanctions").toArray();
        QCOMPARE(sanctions.size(), 1);
        QCOMPARE(sanctions[0][u"user"].toString(), u"gus"_qs);
        QCOMPARE(sanctions[0][u"kind"].toString(), u"timeout"_qs);
        QCOMPARE(http("GET", "/api/sanctions", patToken).status, 403);
        QCOMPARE(http("GET", "/api/sanctions?room=lobby", patToken).status, 403);

        // Without a grant (or once revoked), nothing.
        const QByteArray gusToken = m_server->token(u"gus"_qs);
        QCOMPARE(http("GET", "/api/reports", gusToken).status, 403);
        QCOMPARE(http("GET", "/api/sanctions?room=den", gusToken).status, 403);
        QCOMPARE(
            typeOf(ask(*olga, u"revoke"_qs, {{u"room"_qs, u"den"_qs}, {u"user"_qs, u"pat"_qs}})),
            u"ack"_qs);
        QCOMPARE(http("GET", "/api/reports", patToken).status, 403);
    }

    void reportsAreRateLimitedPerUser()
    {
        auto erin = joined(QStringLiteral("erin"));
        auto frank = joined(QStringLiteral("frank"));
        QVERIFY(erin && frank);
        const qint64 message = say(*frank, QStringLiteral("hello"));
        int accepted = 0;
        QJsonObject refused;
        for (int i = 0; i < 12; ++i) {
            const QJsonObject answer = report(*erin, message, QStringLiteral("spam"));
            if (typeOf(answer) == u"ack")
                ++accepted;
            else
                refused = answer;
        }
        QCOMPARE(accepted, 10);
        QCOMPARE(codeOf(refused), QStringLiteral("rate_limited"));
        QVERIFY(refused.value(QStringLiteral("retry_after_ms")).toInteger() > 60000);
        // Another user's budget is their own.
        QCOMPARE(typeOf(report(*frank, message, QStringLiteral("spam"))), QStringLiteral("ack"));
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_moderatorToken;
};

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
