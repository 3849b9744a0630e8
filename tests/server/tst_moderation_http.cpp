// POST /api/moderation/actions against the real binary: every chat moderation action (and a
// moderator's delete) over HTTP with a bearer token has the effects, audit rows and live events
// of the chat frame; bodies are validated like the frame; roles other than moderator and admin,
// and missing tokens, are refused.
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

} // namespace

class TestModerationHttp : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatTestClient> joined(const QString &user, const QString &roles = {},
                                           const QString &room = QStringLiteral("lobby"))
    {
        auto client = std::make_unique<ChatTestClient>();
        client->open(m_server->webSocketPort(), m_server->token(user, roles));
        if (!client->waitConnected() ||
            typeOf(client->answerTo(client->request(QStringLiteral("join"),
                                                    {{QStringLiteral("room"), room}}))) != u"ack")
            return nullptr;
        return client;
    }

    HttpReply act(const QJsonObject &body, const QByteArray &token)
    {
        HttpProbe probe(m_server->httpPort());
        return probe.request(
            "POST", "/api/moderation/actions", QJsonDocument(body).toJson(QJsonDocument::Compact),
            5000,
            (token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n") +
                "Content-Type: application/json\r\n");
    }

    QJsonArray auditLog()
    {
        HttpProbe probe(m_server->httpPort());
        return probe
            .get("/api/moderation/actions", 5000,
                 "Authorization: Bearer " + m_moderatorToken + "\r\n")
            .json()
            .value(QStringLiteral("actions"))
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

    void refusedWithoutTheRoleOrAValidBody_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("roles"); // empty: no token at all
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        const QJsonObject ban{{QStringLiteral("action"), u"ban"_qs},
                              {QStringLiteral("room"), u"lobby"_qs},
                              {QStringLiteral("user"), u"bob"_qs}};
        QTest::newRow("no token") << ban << QString() << 401 << "bearer token required";
        QTest::newRow("listener") << ban << "listener" << 403 << "moderators only";
        QTest::newRow("broadcaster") << ban << "broadcaster" << 403 << "moderators only";
        QTest::newRow("unknown action") << QJsonObject{{QStringLiteral("action"), u"teleport"_qs}}
                                        << "moderator" << 400 << "action must be one of";
        QTest::newRow("timeout without seconds")
            << QJsonObject{{QStringLiteral("action"), u"timeout"_qs},
                           {QStringLiteral("room"), u"lobby"_qs},
                           {QStringLiteral("user"), u"bob"_qs}}
            << "moderator" << 400 << "seconds";
        QTest::newRow("no such room") << QJsonObject{{QStringLiteral("action"), u"lock"_qs},
                                                     {QStringLiteral("room"), u"nowhere"_qs},
                                                     {QStringLiteral("locked"), true}}
                                      << "moderator" << 404 << "no room";
    }

    void refusedWithoutTheRoleOrAValidBody()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, roles);
        QFETCH(int, status);
        QFETCH(QString, reason);
        const QByteArray token =
            roles.isEmpty() ? QByteArray() : m_server->token(QStringLiteral("someone"), roles);
        const HttpReply reply = act(body, token);
        QCOMPARE(reply.status, status);
        QVERIFY2(reply.json().value(QStringLiteral("reason")).toString().contains(reason),
                 reply.body.constData());
    }

    // One implementation behind both: what the chat frame does, the HTTP call does.
    void actionsHaveTheEffectsAndEventsOfTheChatFrames()
    {
        auto alice = joined(QStringLiteral("alice"));
        auto bob = joined(QStringLiteral("bob"));
        auto watcher = joined(QStringLiteral("watcher"), QStringLiteral("moderator"));
        QVERIFY(alice && bob && watcher);
        const qint64 rude = alice
                                ->answerTo(alice->request(QStringLiteral("send"),
                                                          {{QStringLiteral("room"), u"lobby"_qs},
                                                           {QStringLiteral("body"), u"rude"_qs},
                                                           {QStringLiteral("client_msg_id"),
                                                            QUuid::createUuid().toString()}}))
                                .value(QStringLiteral("message_id"))
                                .toInteger();
        QVERIFY(rude > 0);

        // delete: members see the message go; moderators online get the event.
        HttpReply reply = act({{QStringLiteral("action"), u"delete"_qs},
                               {QStringLiteral("room"), u"lobby"_qs},
                               {QStringLiteral("message_id"), rude},
                               {QStringLiteral("reason"), u"insult"_qs}},
                              m_moderatorToken);
        QCOMPARE(reply.status, 200);
        QVERIFY(!bob->waitFor(QStringLiteral("deleted"), {{QStringLiteral("message_id"), rude}})
                     .isEmpty());
        QCOMPARE(
            watcher
                ->waitFor(QStringLiteral("moderation"), {{QStringLiteral("action"), u"delete"_qs}})
                .value(QStringLiteral("by"))
                .toString(),
            QStringLiteral("mod"));

        // lock: the room's state changes for its members.
        reply = act({{QStringLiteral("action"), u"lock"_qs},
                     {QStringLiteral("room"), u"lobby"_qs},
                     {QStringLiteral("locked"), true}},
                    m_moderatorToken);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("action")).toString(), QStringLiteral("lock"));
        QVERIFY(!alice->waitFor(QStringLiteral("room_state"), {{QStringLiteral("locked"), true}})
                     .isEmpty());

        // a room ban by an admin: bob leaves the room at once.
        reply = act({{QStringLiteral("action"), u"ban"_qs},
                     {QStringLiteral("room"), u"lobby"_qs},
                     {QStringLiteral("user"), u"bob"_qs},
                     {QStringLiteral("reason"), u"spam"_qs}},
                    m_server->token(QStringLiteral("boss"), QStringLiteral("admin")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(bob->waitFor(QStringLiteral("moderation")).value(QStringLiteral("action")),
                 QJsonValue(QStringLiteral("ban")));
        QCOMPARE(bob->answerTo(bob->request(QStringLiteral("history"),
                                            {{QStringLiteral("room"), u"lobby"_qs}}))
                     .value(QStringLiteral("code"))
                     .toString(),
                 QStringLiteral("forbidden"));

        // a server-wide ban: alice's connection is closed with 4403.
        reply = act({{QStringLiteral("action"), u"ban"_qs},
                     {QStringLiteral("user"), u"alice"_qs},
                     {QStringLiteral("seconds"), 3600}},
                    m_moderatorToken);
        QCOMPARE(reply.status, 200);
        QVERIFY(alice->waitClosed());
        QCOMPARE(int(alice->socket().closeCode()), 4403);

        // unban of what is not banned: 404, as over the chat.
        reply = act({{QStringLiteral("action"), u"unban"_qs},
                     {QStringLiteral("room"), u"lobby"_qs},
                     {QStringLiteral("user"), u"watcher"_qs}},
                    m_moderatorToken);
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("not_found"));

        // Each is in the audit log, with the HTTP caller as its actor.
        const QJsonArray log = auditLog();
        QStringList actions;
        for (const QJsonValue &row : log)
            actions << row.toObject().value(QStringLiteral("action")).toString();
        QCOMPARE(actions, QStringList({u"ban"_qs, u"ban"_qs, u"lock"_qs, u"delete"_qs}));
        QCOMPARE(log[1].toObject().value(QStringLiteral("actor")).toString(),
                 QStringLiteral("boss"));
        QCOMPARE(log[3].toObject().value(QStringLiteral("actor")).toString(),
                 QStringLiteral("mod"));
    }

    // A retried request changes nothing the second time: answered 200 "unchanged", with no
    // second audit row or event.
    void repeatingAnActionIsANoOp()
    {
        auto carol = joined(QStringLiteral("carol"), {}, QStringLiteral("quiet"));
        auto watcher = joined(QStringLiteral("watcher2"), QStringLiteral("moderator"),
                              QStringLiteral("quiet"));
        QVERIFY(carol && watcher);
        const qint64 before = auditLog().size();
        const QList<QJsonObject> actions{{{QStringLiteral("action"), u"ban"_qs},
                                          {QStringLiteral("room"), u"quiet"_qs},
                                          {QStringLiteral("user"), u"carol"_qs}},
                                         {{QStringLiteral("action"), u"lock"_qs},
                                          {QStringLiteral("room"), u"quiet"_qs},
                                          {QStringLiteral("locked"), true}},
                                         {{QStringLiteral("action"), u"slow_mode"_qs},
                                          {QStringLiteral("room"), u"quiet"_qs},
                                          {QStringLiteral("seconds"), 30}}};
        for (const QJsonObject &action : actions) {
            const HttpReply first = act(action, m_moderatorToken);
            QCOMPARE(first.status, 200);
            QVERIFY(!first.json().contains(QStringLiteral("unchanged")));
            const HttpReply again = act(action, m_moderatorToken);
            QCOMPARE(again.status, 200);
            QCOMPARE(again.json().value(QStringLiteral("unchanged")).toBool(), true);
        }
        QCOMPARE(auditLog().size(), before + actions.size());
        QTest::qWait(300);
        QCOMPARE(watcher->countOf(QStringLiteral("moderation")), int(actions.size()));
        // A different end is a change: the ban becomes a timed one.
        const HttpReply timed = act({{QStringLiteral("action"), u"ban"_qs},
                                     {QStringLiteral("room"), u"quiet"_qs},
                                     {QStringLiteral("user"), u"carol"_qs},
                                     {QStringLiteral("seconds"), 60}},
                                    m_moderatorToken);
        QVERIFY(!timed.json().contains(QStringLiteral("unchanged")));
        QCOMPARE(auditLog().size(), before + actions.size() + 1);
    }

    // GET /api/sanctions lists what is in force, by scope, filtered and paged; moderators and
    // admins only.
    void sanctionsInForceAreListed()
    {
        auto dora = joined(QStringLiteral("dora"));
        auto eve = joined(QStringLiteral("eve"));
        QVERIFY(dora && eve);
        QCOMPARE(act({{QStringLiteral("action"), u"timeout"_qs},
                      {QStringLiteral("room"), u"lobby"_qs},
                      {QStringLiteral("user"), u"dora"_qs},
                      {QStringLiteral("seconds"), 600},
                      {QStringLiteral("reason"), u"caps"_qs}},
                     m_moderatorToken)
                     .status,
                 200);
        QCOMPARE(act({{QStringLiteral("action"), u"ban"_qs}, {QStringLiteral("user"), u"eve"_qs}},
                     m_moderatorToken)
                     .status,
                 200);
        const auto sanctions = [this](const QByteArray &query, const QByteArray &token) {
            HttpProbe probe(m_server->httpPort());
            return probe.get("/api/sanctions" + query, 5000,
                             token.isEmpty() ? QByteArray()
                                             : "Authorization: Bearer " + token + "\r\n");
        };
        const QJsonArray doras =
            sanctions("?user=dora", m_moderatorToken).json().value(u"sanctions"_qs).toArray();
        QCOMPARE(doras.size(), 1);
        const QJsonObject timeout = doras[0].toObject();
        QCOMPARE(timeout.value(u"kind"_qs).toString(), QStringLiteral("timeout"));
        QCOMPARE(timeout.value(u"scope"_qs).toString(), QStringLiteral("room"));
        QCOMPARE(timeout.value(u"room"_qs).toString(), QStringLiteral("lobby"));
        QCOMPARE(timeout.value(u"by"_qs).toString(), QStringLiteral("mod"));
        QCOMPARE(timeout.value(u"reason"_qs).toString(), QStringLiteral("caps"));
        QVERIFY(timeout.value(u"until"_qs).toInteger() >
                timeout.value(u"since"_qs).toInteger() + 590000);

        const QJsonObject eves = sanctions("?user=eve", m_moderatorToken)
                                     .json()
                                     .value(u"sanctions"_qs)
                                     .toArray()[0]
                                     .toObject();
        QCOMPARE(eves.value(u"scope"_qs).toString(), QStringLiteral("server"));
        QVERIFY(eves.value(u"room"_qs).isNull());
        QVERIFY(eves.value(u"until"_qs).isNull()); // permanent

        for (const QJsonValue &row :
             sanctions("?room=lobby", m_moderatorToken).json().value(u"sanctions"_qs).toArray())
            QCOMPARE(row.toObject().value(u"room"_qs).toString(), QStringLiteral("lobby"));
        const QJsonObject page = sanctions("?limit=1", m_moderatorToken).json();
        QCOMPARE(page.value(u"sanctions"_qs).toArray().size(), 1);
        const qint64 before = page.value(u"next_before"_qs).toInteger();
        QVERIFY(before > 0);
        QCOMPARE(sanctions("?limit=200&before=" + QByteArray::number(before), m_moderatorToken)
                     .json()
                     .value(u"next_before"_qs)
                     .type(),
                 QJsonValue::Null);

        QCOMPARE(sanctions({}, {}).status, 401);
        QCOMPARE(sanctions({}, m_server->token(u"someone"_qs, u"listener"_qs)).status, 403);
        QCOMPARE(sanctions({}, m_server->token(u"root"_qs, u"admin"_qs)).status, 200);
        QCOMPARE(sanctions("?limit=0", m_moderatorToken).status, 400);
    }

    // A room's owner (or an admin) grants and revokes its moderators; a room moderator has the
    // room's powers and events, and nothing beyond the room.
    void roomModeratorsAreGrantedByTheOwnerOrAnAdmin()
    {
        auto owner = std::make_unique<ChatTestClient>();
        owner->open(m_server->webSocketPort(), m_server->token(u"olga"_qs));
        QVERIFY(owner->waitConnected());
        QCOMPARE(typeOf(owner->answerTo(owner->request(
                     QStringLiteral("create_room"),
                     {{QStringLiteral("room"), u"club"_qs},
                      {QStringLiteral("kind"), u"private"_qs},
                      {QStringLiteral("members"), QJsonArray{u"pat"_qs, u"quinn"_qs}}}))),
                 QStringLiteral("ack"));
        auto pat = joined(QStringLiteral("pat"), {}, QStringLiteral("club"));
        auto quinn = joined(QStringLiteral("quinn"), {}, QStringLiteral("club"));
        QVERIFY(pat && quinn);
        const QJsonObject grantPat{{QStringLiteral("room"), u"club"_qs},
                                   {QStringLiteral("user"), u"pat"_qs}};
        const auto ask = [](ChatTestClient &client, const QString &type,
                            const QJsonObject &fields) {
            return client.answerTo(client.request(type, fields));
        };
        const QJsonObject timeoutQuinn{{QStringLiteral("room"), u"club"_qs},
                                       {QStringLiteral("user"), u"quinn"_qs},
                                       {QStringLiteral("seconds"), 30}};

        // Neither a member nor a global moderator may grant; the owner may.
        QCOMPARE(ask(*quinn, QStringLiteral("grant"), grantPat).value(u"code"_qs).toString(),
                 QStringLiteral("forbidden"));
        QCOMPARE(act({{QStringLiteral("action"), u"grant"_qs},
                      {QStringLiteral("room"), u"club"_qs},
                      {QStringLiteral("user"), u"pat"_qs}},
                     m_moderatorToken)
                     .status,
                 403);
        QCOMPARE(ask(*pat, QStringLiteral("timeout"), timeoutQuinn).value(u"code"_qs).toString(),
                 QStringLiteral("forbidden"));
        QCOMPARE(typeOf(ask(*owner, QStringLiteral("grant"), grantPat)), QStringLiteral("ack"));
        QCOMPARE(
            pat->waitFor(QStringLiteral("moderation"), {{QStringLiteral("action"), u"grant"_qs}})
                .value(u"by"_qs)
                .toString(),
            QStringLiteral("olga"));

        // pat moderates the club, hears its moderation, and nothing else.
        QCOMPARE(typeOf(ask(*pat, QStringLiteral("timeout"), timeoutQuinn)), QStringLiteral("ack"));
        QCOMPARE(act({{QStringLiteral("action"), u"slow_mode"_qs},
                      {QStringLiteral("room"), u"club"_qs},
                      {QStringLiteral("seconds"), 60}},
                     m_moderatorToken)
                     .status,
                 200);
        QVERIFY(!pat->waitFor(QStringLiteral("moderation"),
                              {{QStringLiteral("action"), u"slow_mode"_qs}})
                     .isEmpty());
        for (int i = 0; i < 2; ++i) // exempt from slow mode
            QCOMPARE(typeOf(ask(*pat, QStringLiteral("send"),
                                {{QStringLiteral("room"), u"club"_qs},
                                 {QStringLiteral("body"), u"welcome"_qs},
                                 {QStringLiteral("client_msg_id"), QStringLiteral("w%1").arg(i)}})),
                     QStringLiteral("ack"));
        QCOMPARE(ask(*pat, QStringLiteral("lock"),
                     {{QStringLiteral("room"), u"lobby"_qs}, {QStringLiteral("locked"), true}})
                     .value(u"code"_qs)
                     .toString(),
                 QStringLiteral("forbidden"));

        // An admin revokes over HTTP: pat is told, and the power is gone.
        QCOMPARE(act({{QStringLiteral("action"), u"revoke"_qs},
                      {QStringLiteral("room"), u"club"_qs},
                      {QStringLiteral("user"), u"pat"_qs}},
                     m_server->token(u"boss"_qs, u"admin"_qs))
                     .status,
                 200);
        QVERIFY(
            !pat->waitFor(QStringLiteral("moderation"), {{QStringLiteral("action"), u"revoke"_qs}})
                 .isEmpty());
        QCOMPARE(ask(*pat, QStringLiteral("unban"),
                     {{QStringLiteral("room"), u"club"_qs}, {QStringLiteral("user"), u"quinn"_qs}})
                     .value(u"code"_qs)
                     .toString(),
                 QStringLiteral("forbidden"));
        QCOMPARE(ask(*owner, QStringLiteral("revoke"), grantPat).value(u"code"_qs).toString(),
                 QStringLiteral("not_found"));
        QStringList logged;
        for (const QJsonValue &row : auditLog())
            logged << row.toObject().value(u"action"_qs).toString();
        QVERIFY2(logged.mid(0, 4) ==
                     QStringList({u"revoke"_qs, u"slow_mode"_qs, u"timeout"_qs, u"grant"_qs}),
                 qPrintable(logged.join(u',')));
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_moderatorToken;
};

QTEST_GUILESS_MAIN(TestModerationHttp)
#include "tst_moderation_http.moc"
