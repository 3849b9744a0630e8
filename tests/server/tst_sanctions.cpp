// Moderation that holds, against the real binary with real clients: a server-wide ban is
// refused wherever a token is taken (the chat, the HTTP API, /monitor, /ingest) until it ends or
// is lifted, and survives a restart; a room ban ends reading the room and is not undone by a
// reconnect; a timeout stops every kind of writing (send, edit, react, typing) but not reading;
// an edit is held to the rules of send (lock, slow mode); slow mode gives one turn per interval
// to parallel sends from several connections and across a reconnect.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "JsonSocket.h"
#include "ServerProcess.h"
#include "support/PostgresHarness.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>
#include <csignal>

using namespace veza::testing;

namespace {

QJsonObject inRoom(const QString &room, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("room"), room);
    return fields;
}

QString typeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("type")).toString();
}

QString codeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("code")).toString();
}

} // namespace

class TestSanctions : public QObject
{
    Q_OBJECT

private:
    // A chat client of `user`, connected (and authenticated by its header token).
    std::unique_ptr<ChatTestClient> connect(ServerProcess &server, const QString &user,
                                            const QString &roles = {})
    {
        auto client = std::make_unique<ChatTestClient>();
        client->open(server.webSocketPort(), server.token(user, roles));
        return client->waitConnected() ? std::move(client) : nullptr;
    }

    std::unique_ptr<ChatTestClient> joined(ServerProcess &server, const QString &user,
                                           const QString &room)
    {
        auto client = connect(server, user);
        if (!client || typeOf(client->answerTo(
                           client->request(QStringLiteral("join"), inRoom(room)))) != u"ack")
            return nullptr;
        return client;
    }

    static QJsonObject ask(ChatTestClient &client, const QString &type, const QJsonObject &fields)
    {
        return client.answerTo(client.request(type, fields));
    }

    static QJsonObject say(ChatTestClient &client, const QString &room, const QString &body)
    {
        return ask(client, QStringLiteral("send"),
                   inRoom(room, {{QStringLiteral("body"), body},
                                 {QStringLiteral("client_msg_id"),
                                  QUuid::createUuid().toString(QUuid::WithoutBraces)}}));
    }

    // The close code a WebSocket on `path` (with `token` in the Authorization header) gets.
    static int closeCodeOf(ServerProcess &server, const QString &path, const QByteArray &token,
                           QString *reason)
    {
        JsonSocket socket;
        socket.open(
            QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(server.webSocketPort()).arg(path)),
            token);
        const int code = socket.waitClosed();
        *reason = socket.socket().closeReason();
        return code;
    }

    static HttpReply listStreams(ServerProcess &server, const QByteArray &token)
    {
        HttpProbe probe(server.httpPort());
        return probe.get("/api/streams", 5000, "Authorization: Bearer " + token + "\r\n");
    }

private Q_SLOTS:
    void serverBanIsRefusedWhereverATokenIsTaken()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        auto moderator = connect(server, QStringLiteral("mod"), QStringLiteral("moderator"));
        auto bob = connect(server, QStringLiteral("bob"));
        QVERIFY(moderator && bob);
        // bob's token carries every role an endpoint asks for: only the ban refuses him.
        const QByteArray bobToken =
            server.token(QStringLiteral("bob"), QStringLiteral("moderator,broadcaster"));
        QCOMPARE(listStreams(server, bobToken).status, 200);

        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("ban"),
                            {{QStringLiteral("user"), QStringLiteral("bob")},
                             {QStringLiteral("seconds"), 4},
                             {QStringLiteral("reason"), QStringLiteral("spam")}})),
                 QStringLiteral("ack"));
        QVERIFY(bob->waitClosed());
        QCOMPARE(int(bob->socket().closeCode()), 4403);
        QVERIFY2(bob->socket().closeReason().startsWith(u"banned until 20"),
                 qPrintable(bob->socket().closeReason()));

        // Reconnecting is refused at authentication, with the ban's end.
        ChatTestClient again;
        again.open(server.webSocketPort(), bobToken);
        QVERIFY(again.waitClosed());
        QCOMPARE(int(again.socket().closeCode()), 4403);
        const QJsonObject refusal = again.waitFor(QStringLiteral("error"));
        QCOMPARE(codeOf(refusal), QStringLiteral("forbidden"));
        QVERIFY(refusal.value(QStringLiteral("until")).toInteger() > 0);

        const HttpReply api = listStreams(server, bobToken);
        QCOMPARE(api.status, 403);
        QCOMPARE(api.json().value(QStringLiteral("error")).toString(), QStringLiteral("banned"));
        QVERIFY(api.json().value(QStringLiteral("until")).toInteger() > 0);

        QString reason;
        QCOMPARE(closeCodeOf(server, QStringLiteral("/monitor"), bobToken, &reason), 4403);
        QVERIFY2(reason.startsWith(u"banned until"), qPrintable(reason));
        QCOMPARE(closeCodeOf(server, QStringLiteral("/ingest/anything"), bobToken, &reason), 4403);
        QVERIFY2(reason.startsWith(u"banned until"), qPrintable(reason));

        // Until it ends: then bob is back.
        QTRY_COMPARE_WITH_TIMEOUT(listStreams(server, bobToken).status, 200, 8000);
        auto back = connect(server, QStringLiteral("bob"));
        QVERIFY(back);
        QCOMPARE(typeOf(ask(*back, QStringLiteral("rooms"), {})), QStringLiteral("ack"));
    }

    void liftedBanLetsTheUserBackAndBansSurviveARestart()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        auto moderator = connect(server, QStringLiteral("mod"), QStringLiteral("moderator"));
        QVERIFY(connect(server, QStringLiteral("carol")) &&
                connect(server, QStringLiteral("dave")));
        for (const QString &user : {QStringLiteral("carol"), QStringLiteral("dave")})
            QCOMPARE(
                typeOf(ask(*moderator, QStringLiteral("ban"), {{QStringLiteral("user"), user}})),
                QStringLiteral("ack"));
        const QByteArray carol = server.token(QStringLiteral("carol"));
        const QByteArray dave = server.token(QStringLiteral("dave"));
        QCOMPARE(listStreams(server, carol).status, 403);
        QCOMPARE(listStreams(server, carol).json().value(QStringLiteral("until")).type(),
                 QJsonValue::Null); // permanent
        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("unban"),
                            {{QStringLiteral("user"), QStringLiteral("carol")}})),
                 QStringLiteral("ack"));
        QCOMPARE(listStreams(server, carol).status, 200);
        QVERIFY(connect(server, QStringLiteral("carol")));

        // The endpoints' ban list is read from the database at start (same data directory:
        // database and JWT secret).
        moderator.reset();
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit(15000));
        ServerProcess restarted;
        restarted.setEnv(QStringLiteral("DATA_DIR"), server.dataDir());
        restarted.setEnv(QStringLiteral("DATABASE_URL"),
                         QStringLiteral("sqlite://%1/veza.db").arg(server.dataDir()));
        QVERIFY2(restarted.start(), qPrintable(restarted.diagnostics()));
        QCOMPARE(listStreams(restarted, dave).status, 403);
        QCOMPARE(listStreams(restarted, carol).status, 200);
        ChatTestClient refused;
        refused.open(restarted.webSocketPort(), dave);
        QVERIFY(refused.waitClosed());
        QCOMPARE(int(refused.socket().closeCode()), 4403);
        QCOMPARE(refused.socket().closeReason(), QStringLiteral("banned"));
    }

    void roomBanEndsReadingAndIsNotHeardAgain()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QString lobby = QStringLiteral("lobby");
        auto alice = joined(server, QStringLiteral("alice"), lobby);
        auto bob = joined(server, QStringLiteral("bob"), lobby);
        auto moderator = connect(server, QStringLiteral("mod"), QStringLiteral("moderator"));
        QVERIFY(alice && bob && moderator);
        const qint64 first = say(*alice, lobby, QStringLiteral("before"))
                                 .value(QStringLiteral("message_id"))
                                 .toInteger();
        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("ban"),
                            inRoom(lobby, {{QStringLiteral("user"), QStringLiteral("bob")}}))),
                 QStringLiteral("ack"));
        QVERIFY(!bob->waitFor(QStringLiteral("moderation")).isEmpty());

        for (const QString &type : {QStringLiteral("history"), QStringLiteral("members")}) {
            const QJsonObject refused = ask(*bob, type, inRoom(lobby));
            QCOMPARE(codeOf(refused), QStringLiteral("forbidden"));
            QCOMPARE(refused.value(QStringLiteral("message")).toString(),
                     QStringLiteral("you are banned from \"lobby\""));
        }
        QCOMPARE(codeOf(ask(*bob, QStringLiteral("react"),
                            inRoom(lobby, {{QStringLiteral("message_id"), first},
                                           {QStringLiteral("emoji"), QStringLiteral("👍")}}))),
                 QStringLiteral("forbidden"));

        // A reconnect does not hear the room again, nor can it resume it.
        bob.reset();
        auto reconnected = connect(server, QStringLiteral("bob"));
        QVERIFY(reconnected);
        QCOMPARE(codeOf(ask(*reconnected, QStringLiteral("resume"),
                            {{QStringLiteral("rooms"),
                              QJsonArray{inRoom(lobby, {{QStringLiteral("after"), first}})}}})),
                 QStringLiteral("not_found"));
        QCOMPARE(typeOf(say(*alice, lobby, QStringLiteral("after the ban"))),
                 QStringLiteral("ack"));
        QVERIFY(reconnected
                    ->waitFor(QStringLiteral("message"),
                              {{QStringLiteral("body"), QStringLiteral("after the ban")}}, 2500)
                    .isEmpty());
    }

    void timeoutStopsWritingButNotReading()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QString lobby = QStringLiteral("lobby");
        auto alice = joined(server, QStringLiteral("alice"), lobby);
        auto bob = joined(server, QStringLiteral("bob"), lobby);
        auto moderator = connect(server, QStringLiteral("mod"), QStringLiteral("moderator"));
        QVERIFY(alice && bob && moderator);
        const qint64 own = say(*bob, lobby, QStringLiteral("typo"))
                               .value(QStringLiteral("message_id"))
                               .toInteger();
        QVERIFY(own > 0);
        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("timeout"),
                            inRoom(lobby, {{QStringLiteral("user"), QStringLiteral("bob")},
                                           {QStringLiteral("seconds"), 60}}))),
                 QStringLiteral("ack"));
        QVERIFY(!bob->waitFor(QStringLiteral("moderation")).isEmpty());

        const QJsonObject edit =
            ask(*bob, QStringLiteral("edit"),
                inRoom(lobby, {{QStringLiteral("message_id"), own},
                               {QStringLiteral("body"), QStringLiteral("fixed")}}));
        QCOMPARE(codeOf(edit), QStringLiteral("forbidden"));
        QVERIFY(edit.value(QStringLiteral("until")).toInteger() > 0);
        QCOMPARE(codeOf(ask(*bob, QStringLiteral("react"),
                            inRoom(lobby, {{QStringLiteral("message_id"), own},
                                           {QStringLiteral("emoji"), QStringLiteral("🎉")}}))),
                 QStringLiteral("forbidden"));
        // Typing is relayed without an answer: alice hears the moderator's, not bob's.
        bob->request(QStringLiteral("typing"), inRoom(lobby));
        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("join"), inRoom(lobby))),
                 QStringLiteral("ack"));
        moderator->request(QStringLiteral("typing"), inRoom(lobby));
        QVERIFY(!alice
                     ->waitFor(QStringLiteral("typing"),
                               {{QStringLiteral("user"), QStringLiteral("mod")}})
                     .isEmpty());
        QCOMPARE(alice->countOf(QStringLiteral("typing")), 1);

        // Reading is untouched.
        const QJsonObject history = ask(*bob, QStringLiteral("history"), inRoom(lobby));
        QCOMPARE(typeOf(history), QStringLiteral("ack"));
        QCOMPARE(history.value(QStringLiteral("messages")).toArray().size(), 1);
        QCOMPARE(typeOf(ask(*bob, QStringLiteral("members"), inRoom(lobby))),
                 QStringLiteral("ack"));
    }

    void slowModeGivesOneTurnPerIntervalWhateverTheConnections_data()
    {
        QTest::addColumn<bool>("postgres");
        QTest::newRow("sqlite") << false;
        // Several database connections take the parallel sends at once.
        QTest::newRow("postgresql") << true;
    }

    void slowModeGivesOneTurnPerIntervalWhateverTheConnections()
    {
        QFETCH(bool, postgres);
        PostgresHarness database;
        ServerProcess server;
        if (postgres) {
            QVERIFY2(database.start(), qPrintable(database.errorString()));
            server.setEnv(QStringLiteral("DATABASE_URL"), database.url());
            server.setEnv(QStringLiteral("DATABASE_POOL_SIZE"), QStringLiteral("8"));
        }
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QString lobby = QStringLiteral("lobby");
        auto first = joined(server, QStringLiteral("bob"), lobby);
        auto second = connect(server, QStringLiteral("bob"));
        auto moderator = connect(server, QStringLiteral("mod"), QStringLiteral("moderator"));
        QVERIFY(first && second && moderator);
        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("slow_mode"),
                            inRoom(lobby, {{QStringLiteral("seconds"), 60}}))),
                 QStringLiteral("ack"));

        // A burst from two connections at once: one message gets through.
        QList<std::pair<ChatTestClient *, QString>> sent;
        for (int i = 0; i < 10; ++i) {
            ChatTestClient &client = i % 2 ? *second : *first;
            sent.append({&client, client.request(
                                      QStringLiteral("send"),
                                      inRoom(lobby, {{QStringLiteral("body"), QStringLiteral("hi")},
                                                     {QStringLiteral("client_msg_id"),
                                                      QStringLiteral("burst-%1").arg(i)}}))});
        }
        int acked = 0;
        for (const auto &[client, id] : sent) {
            const QJsonObject answer = client->answerTo(id, 10000);
            if (typeOf(answer) == u"ack")
                ++acked;
            else
                QCOMPARE(codeOf(answer), QStringLiteral("rate_limited"));
        }
        QCOMPARE(acked, 1);

        // Nor does a reconnect start the interval again.
        first.reset();
        second.reset();
        auto again = connect(server, QStringLiteral("bob"));
        QVERIFY(again);
        const QJsonObject refused = say(*again, lobby, QStringLiteral("and again"));
        QCOMPARE(codeOf(refused), QStringLiteral("rate_limited"));
        QVERIFY(refused.value(QStringLiteral("retry_after_ms")).toInteger() > 50000);
    }

    // The audit log and the live event carry every parameter of an action, and a moderator's
    // delete of someone else's message is one of them (a user deleting their own is not).
    void everyActionIsAuditedWithItsParameters()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QString lobby = QStringLiteral("lobby");
        auto alice = joined(server, QStringLiteral("alice"), lobby);
        auto moderator = connect(server, QStringLiteral("mod"), QStringLiteral("moderator"));
        QVERIFY(alice && moderator);
        const auto messageOf = [&](const QString &body) {
            return say(*alice, lobby, body).value(QStringLiteral("message_id")).toInteger();
        };
        const qint64 own = messageOf(QStringLiteral("mine"));
        const qint64 removed = messageOf(QStringLiteral("rude"));
        messageOf(QStringLiteral("spam"));
        QCOMPARE(typeOf(ask(*alice, QStringLiteral("delete"),
                            inRoom(lobby, {{QStringLiteral("message_id"), own}}))),
                 QStringLiteral("ack"));
        const auto act = [&](const QString &type, const QJsonObject &fields) {
            QCOMPARE(typeOf(ask(*moderator, type, inRoom(lobby, fields))), QStringLiteral("ack"));
        };
        act(QStringLiteral("delete"), {{QStringLiteral("message_id"), removed},
                                       {QStringLiteral("reason"), QStringLiteral("insult")}});
        act(QStringLiteral("slow_mode"), {{QStringLiteral("seconds"), 30}});
        act(QStringLiteral("lock"), {{QStringLiteral("locked"), true}});
        act(QStringLiteral("lock"), {{QStringLiteral("locked"), false}});
        act(QStringLiteral("purge"),
            {{QStringLiteral("user"), QStringLiteral("alice")}, {QStringLiteral("minutes"), 10}});

        const QJsonObject deleted = moderator->waitFor(
            QStringLiteral("moderation"), {{QStringLiteral("action"), QStringLiteral("delete")}});
        QCOMPARE(deleted.value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(deleted.value(QStringLiteral("message_id")).toInteger(), removed);
        QCOMPARE(deleted.value(QStringLiteral("reason")).toString(), QStringLiteral("insult"));
        QVERIFY(!moderator
                     ->waitFor(QStringLiteral("moderation"),
                               {{QStringLiteral("action"), QStringLiteral("lock")},
                                {QStringLiteral("locked"), false}})
                     .isEmpty());
        const QJsonObject purged = moderator->waitFor(
            QStringLiteral("moderation"), {{QStringLiteral("action"), QStringLiteral("purge")}});
        QCOMPARE(purged.value(QStringLiteral("minutes")).toInteger(), 10);
        QCOMPARE(purged.value(QStringLiteral("deleted")).toInteger(), 1);

        HttpProbe probe(server.httpPort());
        const QJsonArray log =
            probe
                .get("/api/moderation/actions?room=lobby", 5000,
                     "Authorization: Bearer " +
                         server.token(QStringLiteral("mod"), QStringLiteral("moderator")) + "\r\n")
                .json()
                .value(QStringLiteral("actions"))
                .toArray();
        QCOMPARE(log.size(), 5); // alice's own delete is not a moderation action
        const QList<std::pair<QString, QJsonObject>> expected{
            {QStringLiteral("purge"),
             {{QStringLiteral("minutes"), 10}, {QStringLiteral("deleted"), 1}}},
            {QStringLiteral("unlock"), {{QStringLiteral("locked"), false}}},
            {QStringLiteral("lock"), {{QStringLiteral("locked"), true}}},
            {QStringLiteral("slow_mode"), {{QStringLiteral("seconds"), 30}}},
            {QStringLiteral("delete"), {{QStringLiteral("message_id"), removed}}}};
        for (int i = 0; i < log.size(); ++i) {
            const QJsonObject row = log[i].toObject();
            QCOMPARE(row.value(QStringLiteral("action")).toString(), expected[i].first);
            QCOMPARE(row.value(QStringLiteral("params")).toObject(), expected[i].second);
        }
        QCOMPARE(log[4].toObject().value(QStringLiteral("target")).toString(),
                 QStringLiteral("alice"));
        QCOMPARE(log[4].toObject().value(QStringLiteral("reason")).toString(),
                 QStringLiteral("insult"));
        QCOMPARE(metricValue(HttpProbe::getOnce(server.metricsPort(), "/metrics").body,
                             R"(moderation_actions_total{action="delete"})"),
                 1.0);
    }

    void editFollowsTheRulesOfSend()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QString lobby = QStringLiteral("lobby");
        auto bob = joined(server, QStringLiteral("bob"), lobby);
        auto moderator = connect(server, QStringLiteral("mod"), QStringLiteral("moderator"));
        QVERIFY(bob && moderator);
        const qint64 own = say(*bob, lobby, QStringLiteral("draft"))
                               .value(QStringLiteral("message_id"))
                               .toInteger();
        const auto editOwn = [&] {
            return ask(*bob, QStringLiteral("edit"),
                       inRoom(lobby, {{QStringLiteral("message_id"), own},
                                      {QStringLiteral("body"), QStringLiteral("final")}}));
        };

        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("lock"),
                            inRoom(lobby, {{QStringLiteral("locked"), true}}))),
                 QStringLiteral("ack"));
        const QJsonObject locked = editOwn();
        QCOMPARE(codeOf(locked), QStringLiteral("forbidden"));
        QCOMPARE(locked.value(QStringLiteral("message")).toString(),
                 QStringLiteral("room \"lobby\" is locked"));
        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("lock"),
                            inRoom(lobby, {{QStringLiteral("locked"), false}}))),
                 QStringLiteral("ack"));

        // Slow mode: bob's send was moments ago, so an edit now waits like a second send.
        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("slow_mode"),
                            inRoom(lobby, {{QStringLiteral("seconds"), 60}}))),
                 QStringLiteral("ack"));
        const QJsonObject slow = editOwn();
        QCOMPARE(codeOf(slow), QStringLiteral("rate_limited"));
        QVERIFY(slow.value(QStringLiteral("retry_after_ms")).toInteger() > 50000);
        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("slow_mode"),
                            inRoom(lobby, {{QStringLiteral("seconds"), 0}}))),
                 QStringLiteral("ack"));
        QCOMPARE(typeOf(editOwn()), QStringLiteral("ack"));
    }
};

QTEST_GUILESS_MAIN(TestSanctions)
#include "tst_sanctions.moc"
