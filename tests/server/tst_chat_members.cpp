// A private room's members after its creation, against the real binary with real clients: its
// owner, its room moderators and global moderators invite and kick; plain members and others
// are refused; public and direct rooms are not for it. An invited user finds the room in
// `rooms`, hears it at once and may leave it; a kicked one stops hearing and reading it. Both
// are audited and counted as moderation actions.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QTest>

using namespace veza::testing;

namespace {

const QString kStaff = QStringLiteral("staff");

QString typeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("type")).toString();
}

QString codeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("code")).toString();
}

QJsonObject roomUser(const QString &room, const QString &user)
{
    return {{QStringLiteral("room"), room}, {QStringLiteral("user"), user}};
}

QJsonObject sendFields(const QString &room, const QString &body, const QString &clientMsgId)
{
    return {{QStringLiteral("room"), room},
            {QStringLiteral("body"), body},
            {QStringLiteral("client_msg_id"), clientMsgId}};
}

} // namespace

class TestChatMembers : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatTestClient> connect(ServerProcess &server, const QString &user,
                                            const QString &roles = {})
    {
        auto client = std::make_unique<ChatTestClient>();
        client->open(server.webSocketPort(), server.token(user, roles));
        return client->waitConnected() ? std::move(client) : nullptr;
    }

    // The answer to a request, waiting for it.
    static QJsonObject ask(ChatTestClient &client, const QString &type, const QJsonObject &fields)
    {
        return client.answerTo(client.request(type, fields));
    }

    // alice's private room "staff" with carol as a member.
    static bool createStaff(ChatTestClient &alice)
    {
        return typeOf(ask(alice, QStringLiteral("create_room"),
                          {{QStringLiteral("room"), kStaff},
                           {QStringLiteral("kind"), QStringLiteral("private")},
                           {QStringLiteral("members"), QJsonArray{QStringLiteral("carol")}}})) ==
               u"ack";
    }

    static QStringList roomNames(ChatTestClient &client)
    {
        QStringList names;
        for (const QJsonValue &room :
             ask(client, QStringLiteral("rooms"), {}).value(QStringLiteral("rooms")).toArray())
            names << room.toObject().value(QStringLiteral("name")).toString();
        return names;
    }

    static QJsonArray auditLog(ServerProcess &server, const QByteArray &query)
    {
        return HttpProbe(server.httpPort())
            .get("/api/moderation/actions?" + query, 5000,
                 "Authorization: Bearer " +
                     server.token(QStringLiteral("auditor"), QStringLiteral("moderator")) + "\r\n")
            .json()
            .value(QStringLiteral("actions"))
            .toArray();
    }

private Q_SLOTS:
    // The owner invites bob, online: he is told, finds the room in `rooms`, hears and reads it,
    // then leaves it as any member may. A user never seen before is invited too and finds the
    // room at his first visit.
    void invitedUserSeesHearsAndMayLeaveTheRoom()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        auto alice = connect(server, QStringLiteral("alice"));
        auto bob = connect(server, QStringLiteral("bob"));
        QVERIFY(alice && bob);
        QVERIFY(createStaff(*alice));
        QCOMPARE(ask(*alice, QStringLiteral("send"),
                     sendFields(kStaff, QStringLiteral("before bob"), QStringLiteral("s1")))
                     .value(QStringLiteral("message_id"))
                     .toInteger(),
                 1);
        QVERIFY(!roomNames(*bob).contains(kStaff));

        const QJsonObject invited =
            ask(*alice, QStringLiteral("invite"), roomUser(kStaff, QStringLiteral("bob")));
        QCOMPARE(typeOf(invited), QStringLiteral("ack"));
        QCOMPARE(invited.value(QStringLiteral("action")).toString(), QStringLiteral("invite"));
        const QJsonObject told = bob->waitFor(
            QStringLiteral("moderation"), {{QStringLiteral("action"), QStringLiteral("invite")}});
        QCOMPARE(told.value(QStringLiteral("room")).toString(), kStaff);
        QCOMPARE(told.value(QStringLiteral("user")).toString(), QStringLiteral("bob"));
        QCOMPARE(told.value(QStringLiteral("by")).toString(), QStringLiteral("alice"));
        QVERIFY(roomNames(*bob).contains(kStaff));
        // Heard at once, without a join; and read.
        QCOMPARE(ask(*alice, QStringLiteral("send"),
                     sendFields(kStaff, QStringLiteral("welcome"), QStringLiteral("s2")))
                     .value(QStringLiteral("message_id"))
                     .toInteger(),
                 2);
        QCOMPARE(bob->waitFor(QStringLiteral("message"), {{QStringLiteral("room"), kStaff}})
                     .value(QStringLiteral("body"))
                     .toString(),
                 QStringLiteral("welcome"));
        QCOMPARE(ask(*bob, QStringLiteral("history"), {{QStringLiteral("room"), kStaff}})
                     .value(QStringLiteral("messages"))
                     .toArray()
                     .size(),
                 2);
        // Inviting a member again changes nothing.
        QCOMPARE(ask(*alice, QStringLiteral("invite"), roomUser(kStaff, QStringLiteral("bob")))
                     .value(QStringLiteral("unchanged"))
                     .toBool(),
                 true);

        // An invited member leaves as any other: out of `rooms`, no longer heard or read.
        QCOMPARE(typeOf(ask(*bob, QStringLiteral("leave"), {{QStringLiteral("room"), kStaff}})),
                 QStringLiteral("ack"));
        QVERIFY(!roomNames(*bob).contains(kStaff));
        QCOMPARE(typeOf(ask(*alice, QStringLiteral("send"),
                            sendFields(kStaff, QStringLiteral("gone?"), QStringLiteral("s3")))),
                 QStringLiteral("ack"));
        QCOMPARE(codeOf(ask(*bob, QStringLiteral("history"), {{QStringLiteral("room"), kStaff}})),
                 QStringLiteral("not_found"));
        QCOMPARE(codeOf(ask(*bob, QStringLiteral("join"), {{QStringLiteral("room"), kStaff}})),
                 QStringLiteral("forbidden"));
        QTest::qWait(200);
        QCOMPARE(bob->countOf(QStringLiteral("message")), 1);

        // Offline and never seen: the room is there when he comes.
        QCOMPARE(
            typeOf(ask(*alice, QStringLiteral("invite"), roomUser(kStaff, QStringLiteral("dave")))),
            QStringLiteral("ack"));
        auto dave = connect(server, QStringLiteral("dave"));
        QVERIFY(dave);
        QVERIFY(roomNames(*dave).contains(kStaff));
        QCOMPARE(typeOf(ask(*alice, QStringLiteral("send"),
                            sendFields(kStaff, QStringLiteral("hi dave"), QStringLiteral("s4")))),
                 QStringLiteral("ack"));
        QCOMPARE(dave->waitFor(QStringLiteral("message"), {{QStringLiteral("room"), kStaff}})
                     .value(QStringLiteral("body"))
                     .toString(),
                 QStringLiteral("hi dave"));

        const QJsonArray log = auditLog(server, "action=invite");
        QCOMPARE(log.size(), 2); // the unchanged one is not an action
        QCOMPARE(log[0].toObject().value(QStringLiteral("target")).toString(),
                 QStringLiteral("dave"));
        QCOMPARE(log[1].toObject().value(QStringLiteral("target")).toString(),
                 QStringLiteral("bob"));
        QCOMPARE(log[1].toObject().value(QStringLiteral("room")).toString(), kStaff);
        QCOMPARE(scrapeMetric(server.metricsPort(), R"(moderation_actions_total{action="invite"})"),
                 2.0);
    }

    // A kick ends the membership and, on every connection of the user, the subscription: the
    // user is told, hears nothing more and can no longer read, join or write the room.
    void kickedUserNoLongerHearsOrReadsTheRoom()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        auto alice = connect(server, QStringLiteral("alice"));
        QVERIFY(alice);
        QVERIFY(createStaff(*alice));
        auto carol = connect(server, QStringLiteral("carol"));
        auto carolAgain = connect(server, QStringLiteral("carol")); // a second device
        QVERIFY(carol && carolAgain);
        QCOMPARE(typeOf(ask(*alice, QStringLiteral("send"),
                            sendFields(kStaff, QStringLiteral("one"), QStringLiteral("k1")))),
                 QStringLiteral("ack"));
        QVERIFY(!carol->waitFor(QStringLiteral("message"), {{QStringLiteral("room"), kStaff}})
                     .isEmpty());
        QVERIFY(!carolAgain->waitFor(QStringLiteral("message"), {{QStringLiteral("room"), kStaff}})
                     .isEmpty());

        const QJsonObject kicked =
            ask(*alice, QStringLiteral("kick"),
                {{QStringLiteral("room"), kStaff},
                 {QStringLiteral("user"), QStringLiteral("carol")},
                 {QStringLiteral("reason"), QStringLiteral("left the team")}});
        QCOMPARE(typeOf(kicked), QStringLiteral("ack"));
        QCOMPARE(kicked.value(QStringLiteral("action")).toString(), QStringLiteral("kick"));
        for (ChatTestClient *device : {carol.get(), carolAgain.get()})
            QCOMPARE(device
                         ->waitFor(QStringLiteral("moderation"),
                                   {{QStringLiteral("action"), QStringLiteral("kick")}})
                         .value(QStringLiteral("reason"))
                         .toString(),
                     QStringLiteral("left the team"));
        QCOMPARE(typeOf(ask(*alice, QStringLiteral("send"),
                            sendFields(kStaff, QStringLiteral("two"), QStringLiteral("k2")))),
                 QStringLiteral("ack"));
        QTest::qWait(300);
        QCOMPARE(carol->countOf(QStringLiteral("message")), 1);
        QCOMPARE(carolAgain->countOf(QStringLiteral("message")), 1);
        QVERIFY(!roomNames(*carol).contains(kStaff));
        QCOMPARE(codeOf(ask(*carol, QStringLiteral("history"), {{QStringLiteral("room"), kStaff}})),
                 QStringLiteral("not_found"));
        QCOMPARE(codeOf(ask(*carol, QStringLiteral("join"), {{QStringLiteral("room"), kStaff}})),
                 QStringLiteral("forbidden"));
        QCOMPARE(codeOf(ask(*carol, QStringLiteral("send"),
                            sendFields(kStaff, QStringLiteral("let me in"), QStringLiteral("k3")))),
                 QStringLiteral("forbidden"));
        // A reconnect does not bring the room back.
        auto carolLater = connect(server, QStringLiteral("carol"));
        QVERIFY(carolLater);
        QVERIFY(!roomNames(*carolLater).contains(kStaff));
        // Not a member any more: nothing to kick.
        QCOMPARE(
            codeOf(ask(*alice, QStringLiteral("kick"), roomUser(kStaff, QStringLiteral("carol")))),
            QStringLiteral("not_found"));

        const QJsonArray log = auditLog(server, "action=kick");
        QCOMPARE(log.size(), 1);
        const QJsonObject row = log[0].toObject();
        QCOMPARE(row.value(QStringLiteral("actor")).toString(), QStringLiteral("alice"));
        QCOMPARE(row.value(QStringLiteral("target")).toString(), QStringLiteral("carol"));
        QCOMPARE(row.value(QStringLiteral("room")).toString(), kStaff);
        QCOMPARE(row.value(QStringLiteral("reason")).toString(), QStringLiteral("left the team"));
        QCOMPARE(scrapeMetric(server.metricsPort(), R"(moderation_actions_total{action="kick"})"),
                 1.0);
    }

    // Who may invite and kick in alice's private room, where carol is a plain member.
    void onlyOwnerAndModeratorsInviteAndKick_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("roles");
        QTest::addColumn<bool>("roomModerator"); // granted by alice
        QTest::addColumn<bool>("allowed");
        QTest::newRow("owner") << QStringLiteral("alice") << QString() << false << true;
        QTest::newRow("room moderator") << QStringLiteral("rita") << QString() << true << true;
        QTest::newRow("global moderator")
            << QStringLiteral("mod") << QStringLiteral("moderator") << false << true;
        QTest::newRow("admin") << QStringLiteral("root") << QStringLiteral("admin") << false
                               << true;
        QTest::newRow("plain member") << QStringLiteral("carol") << QString() << false << false;
        QTest::newRow("outsider") << QStringLiteral("erin") << QString() << false << false;
        QTest::newRow("broadcaster")
            << QStringLiteral("bea") << QStringLiteral("broadcaster") << false << false;
    }

    void onlyOwnerAndModeratorsInviteAndKick()
    {
        QFETCH(QString, user);
        QFETCH(QString, roles);
        QFETCH(bool, roomModerator);
        QFETCH(bool, allowed);
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        auto alice = connect(server, QStringLiteral("alice"));
        QVERIFY(alice);
        QVERIFY(createStaff(*alice));
        auto caller = user == u"alice" ? std::move(alice) : connect(server, user, roles);
        QVERIFY(caller);
        if (roomModerator) {
            auto owner = connect(server, QStringLiteral("alice"));
            QCOMPARE(typeOf(ask(*owner, QStringLiteral("grant"), roomUser(kStaff, user))),
                     QStringLiteral("ack"));
        }

        const QJsonObject invite =
            ask(*caller, QStringLiteral("invite"), roomUser(kStaff, QStringLiteral("bob")));
        const QJsonObject kick =
            ask(*caller, QStringLiteral("kick"), roomUser(kStaff, QStringLiteral("carol")));
        if (allowed) {
            QCOMPARE(typeOf(invite), QStringLiteral("ack"));
            QCOMPARE(typeOf(kick), QStringLiteral("ack"));
        } else {
            QCOMPARE(codeOf(invite), QStringLiteral("forbidden"));
            QCOMPARE(codeOf(kick), QStringLiteral("forbidden"));
        }
        // What the members are now, as the owner sees them.
        auto owner = connect(server, QStringLiteral("alice"));
        QStringList members;
        for (const QJsonValue &member :
             ask(*owner, QStringLiteral("members"), {{QStringLiteral("room"), kStaff}})
                 .value(QStringLiteral("members"))
                 .toArray())
            members << member.toObject().value(QStringLiteral("user")).toString();
        QCOMPARE(members.contains(QStringLiteral("bob")), allowed);
        QCOMPARE(members.contains(QStringLiteral("carol")), !allowed);
        QCOMPARE(auditLog(server, "room=staff&action=kick").size(), allowed ? 1 : 0);
    }

    // Invite and kick are for private rooms; and some members stay whoever asks.
    void refusedWhereTheyDoNotApply()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        auto alice = connect(server, QStringLiteral("alice"));
        auto mod = connect(server, QStringLiteral("mod"), QStringLiteral("moderator"));
        auto carol = connect(server, QStringLiteral("carol"));
        QVERIFY(alice && mod && carol);
        QVERIFY(createStaff(*alice));

        // A public room, even one alice created, and a direct room: a clear bad_request.
        QCOMPARE(typeOf(ask(*alice, QStringLiteral("create_room"),
                            {{QStringLiteral("room"), QStringLiteral("open")},
                             {QStringLiteral("kind"), QStringLiteral("public")}})),
                 QStringLiteral("ack"));
        QCOMPARE(typeOf(ask(*carol, QStringLiteral("join"),
                            {{QStringLiteral("room"), QStringLiteral("open")}})),
                 QStringLiteral("ack"));
        const QJsonObject publicRoom = ask(*alice, QStringLiteral("invite"),
                                           roomUser(QStringLiteral("open"), QStringLiteral("bob")));
        QCOMPARE(codeOf(publicRoom), QStringLiteral("bad_request"));
        QVERIFY2(publicRoom.value(QStringLiteral("message")).toString().contains(u"private"),
                 qPrintable(publicRoom.value(QStringLiteral("message")).toString()));
        QCOMPARE(codeOf(ask(*mod, QStringLiteral("kick"),
                            roomUser(QStringLiteral("open"), QStringLiteral("carol")))),
                 QStringLiteral("bad_request"));
        const QString direct = ask(*alice, QStringLiteral("dm"),
                                   {{QStringLiteral("to"), QStringLiteral("carol")},
                                    {QStringLiteral("body"), QStringLiteral("psst")},
                                    {QStringLiteral("client_msg_id"), QStringLiteral("d1")}})
                                   .value(QStringLiteral("room"))
                                   .toString();
        QVERIFY(!direct.isEmpty());
        QCOMPARE(
            codeOf(ask(*mod, QStringLiteral("invite"), roomUser(direct, QStringLiteral("bob")))),
            QStringLiteral("bad_request"));

        // The owner stays; a room moderator is revoked before a kick; a banned user is not
        // invited; an unknown user is not kicked.
        QCOMPARE(
            codeOf(ask(*mod, QStringLiteral("kick"), roomUser(kStaff, QStringLiteral("alice")))),
            QStringLiteral("forbidden"));
        QCOMPARE(
            typeOf(ask(*alice, QStringLiteral("grant"), roomUser(kStaff, QStringLiteral("carol")))),
            QStringLiteral("ack"));
        QCOMPARE(
            codeOf(ask(*mod, QStringLiteral("kick"), roomUser(kStaff, QStringLiteral("carol")))),
            QStringLiteral("conflict"));
        auto erin = connect(server, QStringLiteral("erin"));
        QVERIFY(erin);
        QCOMPARE(typeOf(ask(*mod, QStringLiteral("ban"), roomUser(kStaff, QStringLiteral("erin")))),
                 QStringLiteral("ack"));
        QCOMPARE(
            codeOf(ask(*alice, QStringLiteral("invite"), roomUser(kStaff, QStringLiteral("erin")))),
            QStringLiteral("conflict"));
        QVERIFY(!roomNames(*erin).contains(kStaff));
        QCOMPARE(
            codeOf(ask(*alice, QStringLiteral("kick"), roomUser(kStaff, QStringLiteral("nobody")))),
            QStringLiteral("not_found"));
        QCOMPARE(auditLog(server, "room=staff&action=kick").size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestChatMembers)
#include "tst_chat_members.moc"
