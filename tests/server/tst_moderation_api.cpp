// GET /api/moderation/actions against the real binary: a moderator's timeout given over the
// chat WebSocket shows up in the audit log read over HTTP (actor, target, room, reason),
// filters (room, target, actor, action, time range) and paging (null next_before on the last
// page) work, and only moderators and admins may read it (401, 403 logged).
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QTest>

using namespace veza::testing;

class TestModerationApi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatTestClient> joined(ServerProcess &server, const QString &user,
                                           const QString &room, const QString &roles = {})
    {
        auto client = std::make_unique<ChatTestClient>();
        client->open(server.webSocketPort(), server.token(user, roles));
        if (!client->waitConnected())
            return nullptr;
        const QJsonObject ack = client->answerTo(
            client->request(QStringLiteral("join"), {{QStringLiteral("room"), room}}));
        return ack.value(QStringLiteral("type")).toString() == u"ack" ? std::move(client) : nullptr;
    }

    static bool timeoutUser(ChatTestClient &moderator, const QString &user, const QString &reason)
    {
        const QJsonObject answer = moderator.answerTo(
            moderator.request(QStringLiteral("timeout"), {{QStringLiteral("room"), u"lobby"_qs},
                                                          {QStringLiteral("user"), user},
                                                          {QStringLiteral("seconds"), 60},
                                                          {QStringLiteral("reason"), reason}}));
        return answer.value(QStringLiteral("type")).toString() == u"ack";
    }

    HttpReply list(const QByteArray &query, const QByteArray &token)
    {
        HttpProbe probe(m_server->httpPort());
        const QByteArray header =
            token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n";
        return probe.get("/api/moderation/actions" + query, 5000, header);
    }

    static QJsonArray actionsOf(const HttpReply &reply)
    {
        return reply.json().value(QStringLiteral("actions")).toArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        auto alice = joined(*m_server, QStringLiteral("alice"), QStringLiteral("lobby"));
        auto bob = joined(*m_server, QStringLiteral("bob"), QStringLiteral("lobby"));
        auto moderator =
            joined(*m_server, QStringLiteral("mod"), QStringLiteral("lobby"), u"moderator"_qs);
        QVERIFY(alice && bob && moderator);
        QVERIFY(timeoutUser(*moderator, QStringLiteral("bob"), QStringLiteral("cool down")));
        QVERIFY(timeoutUser(*moderator, QStringLiteral("alice"), QStringLiteral("spam")));
        m_moderatorToken = m_server->token(QStringLiteral("mod"), QStringLiteral("moderator"));
    }

    void cleanupTestCase() { m_server.reset(); }

    void moderatorSeesTheTimeoutsNewestFirst()
    {
        const HttpReply reply = list({}, m_moderatorToken);
        QCOMPARE(reply.status, 200);
        const QJsonArray actions = actionsOf(reply);
        QCOMPARE(actions.size(), 2);
        const QJsonObject newest = actions.at(0).toObject();
        QCOMPARE(newest.value(QStringLiteral("action")).toString(), QStringLiteral("timeout"));
        QCOMPARE(newest.value(QStringLiteral("actor")).toString(), QStringLiteral("mod"));
        QCOMPARE(newest.value(QStringLiteral("target")).toString(), QStringLiteral("alice"));
        QCOMPARE(newest.value(QStringLiteral("room")).toString(), QStringLiteral("lobby"));
        QCOMPARE(newest.value(QStringLiteral("reason")).toString(), QStringLiteral("spam"));
        const qint64 createdAt = newest.value(QStringLiteral("created_at")).toInteger();
        QVERIFY(qAbs(createdAt - QDateTime::currentMSecsSinceEpoch()) < 60000);
        QCOMPARE(newest.value(QStringLiteral("expires_at")).toInteger() - createdAt, 60000);
        const QJsonObject older = actions.at(1).toObject();
        QCOMPARE(older.value(QStringLiteral("target")).toString(), QStringLiteral("bob"));
        QCOMPARE(older.value(QStringLiteral("reason")).toString(), QStringLiteral("cool down"));
        QVERIFY(older.value(QStringLiteral("id")).toInteger() <
                newest.value(QStringLiteral("id")).toInteger());
        QVERIFY(reply.json().value(QStringLiteral("next_before")).isNull());
    }

    void adminMayReadToo()
    {
        QCOMPARE(list({}, m_server->token(QStringLiteral("root"), QStringLiteral("admin"))).status,
                 200);
    }

    void filters()
    {
        const QJsonArray bob = actionsOf(list("?user=bob", m_moderatorToken));
        QCOMPARE(bob.size(), 1);
        QCOMPARE(bob.at(0).toObject().value(QStringLiteral("target")).toString(), u"bob"_qs);
        QCOMPARE(actionsOf(list("?room=lobby", m_moderatorToken)).size(), 2);
        QCOMPARE(actionsOf(list("?room=nowhere", m_moderatorToken)).size(), 0);
        QCOMPARE(actionsOf(list("?user=nobody", m_moderatorToken)).size(), 0);
        const QByteArray future = QByteArray::number(QDateTime::currentMSecsSinceEpoch() + 60000);
        QCOMPARE(actionsOf(list("?since=" + future, m_moderatorToken)).size(), 0);
        QCOMPARE(actionsOf(list("?since=0", m_moderatorToken)).size(), 2);
        QCOMPARE(list("?limit=0", m_moderatorToken).status, 400);
        QCOMPARE(list("?limit=201", m_moderatorToken).status, 400);
        QCOMPARE(list("?before=x", m_moderatorToken).status, 400);
        // By actor, action and a time range.
        QCOMPARE(actionsOf(list("?actor=mod", m_moderatorToken)).size(), 2);
        QCOMPARE(actionsOf(list("?actor=bob", m_moderatorToken)).size(), 0);
        QCOMPARE(actionsOf(list("?action=timeout", m_moderatorToken)).size(), 2);
        QCOMPARE(actionsOf(list("?action=ban", m_moderatorToken)).size(), 0);
        QCOMPARE(list("?action=teleport", m_moderatorToken).status, 400);
        QCOMPARE(actionsOf(list("?since=0&until=" + future, m_moderatorToken)).size(), 2);
        QCOMPARE(actionsOf(list("?until=1", m_moderatorToken)).size(), 0);
        QCOMPARE(list("?until=soon", m_moderatorToken).status, 400);
    }

    void pagesWithLimitAndBefore()
    {
        const HttpReply first = list("?limit=1", m_moderatorToken);
        QCOMPARE(actionsOf(first).size(), 1);
        QCOMPARE(actionsOf(first).at(0).toObject().value(QStringLiteral("target")).toString(),
                 u"alice"_qs);
        const qint64 before = first.json().value(QStringLiteral("next_before")).toInteger();
        QCOMPARE(before, actionsOf(first).at(0).toObject().value(QStringLiteral("id")).toInteger());

        const HttpReply second =
            list("?limit=1&before=" + QByteArray::number(before), m_moderatorToken);
        QCOMPARE(actionsOf(second).size(), 1);
        QCOMPARE(actionsOf(second).at(0).toObject().value(QStringLiteral("target")).toString(),
                 u"bob"_qs);
        // The last page says so: no empty page to fetch after it.
        QVERIFY(second.json().value(QStringLiteral("next_before")).isNull());
        const QJsonArray both = actionsOf(list("?limit=2", m_moderatorToken));
        QCOMPARE(both.size(), 2);
        QVERIFY(list("?limit=2", m_moderatorToken)
                    .json()
                    .value(QStringLiteral("next_before"))
                    .isNull());
    }

    void otherRolesAreForbiddenAndLogged()
    {
        const HttpReply reply =
            list({}, m_server->token(QStringLiteral("carol"), QStringLiteral("listener")));
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("forbidden"));
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_server->findLog(QStringLiteral("moderation log refused")).isEmpty(), 3000);
        QCOMPARE(m_server->findLog(QStringLiteral("moderation log refused"))
                     .value(QStringLiteral("fields"))
                     .toObject()
                     .value(QStringLiteral("user"))
                     .toString(),
                 QStringLiteral("carol"));
    }

    void missingOrBadTokenIsUnauthorized()
    {
        const HttpReply none = list({}, {});
        QCOMPARE(none.status, 401);
        QCOMPARE(none.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("unauthorized"));
        QCOMPARE(list({}, "not.a.token").status, 401);
        QCOMPARE(list({}, m_moderatorToken + "x").status, 401);
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_moderatorToken;
};

QTEST_GUILESS_MAIN(TestModerationApi)
#include "tst_moderation_api.moc"
