// Several instances, what they share beyond room events: three real veza-server processes on
// one PostgreSQL and one Redis. Presence says online on a user's first session anywhere and
// offline after the last; active_users_total counts the deployment; a ban or kick issued on
// one instance reaches the target's sessions on the others; MAX_CONNECTIONS_PER_USER and the
// per-user rate limit hold for a user with sessions on several instances; with Redis gone,
// each instance goes on alone, nothing waits.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "ServerCluster.h"

#include <QElapsedTimer>
#include <QTest>
#include <csignal>
#include <memory>

using namespace veza::testing;

namespace {

constexpr int kBurst = 5; // MESSAGE_RATE_BURST; MAX_MESSAGE_RATE is 1 a second
constexpr int kMaxSessions = 2;

// The frames of `type` a client received whose fields include `matching`.
int countOf(const ChatTestClient &client, const QString &type, const QJsonObject &matching)
{
    int count = 0;
    for (const QJsonObject &frame : client.received()) {
        if (frame.value(u"type").toString() != type)
            continue;
        bool all = true;
        for (auto it = matching.begin(); it != matching.end(); ++it)
            all = all && frame.value(it.key()) == it.value();
        count += all ? 1 : 0;
    }
    return count;
}

// The type of the answer to a request: "ack", "error", or empty when none came.
QString answerType(ChatTestClient &client, const QString &type, const QJsonObject &fields)
{
    return client.answerTo(client.request(type, fields)).value(u"type").toString();
}

// `actor` asks for a moderation action on `user` in `room`; true once it was acknowledged and
// the user's session `target` heard it.
bool actionReaches(ChatTestClient &actor, const QString &action, const QString &room,
                   const QString &user, ChatTestClient &target)
{
    return answerType(actor, action,
                      {{QStringLiteral("room"), room}, {QStringLiteral("user"), user}}) == u"ack" &&
           !target
                .waitFor(QStringLiteral("moderation"),
                         {{QStringLiteral("action"), action}, {QStringLiteral("room"), room}})
                .isEmpty();
}

QJsonObject presence(const QString &room, const QString &user, const QString &status)
{
    return {{QStringLiteral("room"), room},
            {QStringLiteral("user"), user},
            {QStringLiteral("status"), status}};
}

} // namespace

class TestClusterModeration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(
            m_cluster.start(
                3, {{QStringLiteral("MAX_MESSAGE_RATE"), QStringLiteral("1")},
                    {QStringLiteral("MESSAGE_RATE_BURST"), QString::number(kBurst)},
                    {QStringLiteral("MAX_CONNECTIONS_PER_USER"), QString::number(kMaxSessions)}}),
            qPrintable(m_cluster.errorString()));
    }

    // Users on each instance, one of them on two: every instance counts the deployment's
    // distinct users in active_users_total and its own in active_users_instance.
    void activeUsersCountTheDeployment()
    {
        auto ann0 = openAs(0, QStringLiteral("ann"));
        auto bob1 = openAs(1, QStringLiteral("bob"));
        auto cy2 = openAs(2, QStringLiteral("cy"));
        auto ann2 = openAs(2, QStringLiteral("ann"));
        QVERIFY(ann0 && bob1 && cy2 && ann2);
        for (int i = 0; i < 3; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(
                scrapeMetric(m_cluster.server(i).metricsPort(), "active_users_total"), 3.0, 10000);
        QCOMPARE(scrapeMetric(m_cluster.server(0).metricsPort(), "active_users_instance"), 1.0);
        QCOMPARE(scrapeMetric(m_cluster.server(1).metricsPort(), "active_users_instance"), 1.0);
        QCOMPARE(scrapeMetric(m_cluster.server(2).metricsPort(), "active_users_instance"), 2.0);
        ann0.reset();
        ann2.reset();
        for (int i = 0; i < 3; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(
                scrapeMetric(m_cluster.server(i).metricsPort(), "active_users_total"), 2.0, 10000);
    }

    // Presence events tell the user's state across the deployment: online with the first
    // session anywhere, still online when one of two instances loses it, offline after the
    // last; typing crosses too.
    void presenceAndTypingCross()
    {
        const QString room = QStringLiteral("presence");
        auto watcher = openAs(2, QStringLiteral("watcher"), room);
        auto first = openAs(0, QStringLiteral("pat"), room); // a member from now on
        QVERIFY(watcher && first);
        first.reset();
        QVERIFY(watcher
                    ->waitFor(QStringLiteral("presence"),
                              presence(room, QStringLiteral("pat"), QStringLiteral("offline")))
                    .size());
        const QJsonObject online = presence(room, QStringLiteral("pat"), QStringLiteral("online"));
        const QJsonObject offline =
            presence(room, QStringLiteral("pat"), QStringLiteral("offline"));

        auto onA = openAs(0, QStringLiteral("pat"));
        QVERIFY(onA);
        QTRY_COMPARE(countOf(*watcher, QStringLiteral("presence"), online), 1);
        auto onB = openAs(1, QStringLiteral("pat"));
        QVERIFY(onB);
        onA->request(QStringLiteral("typing"), {{QStringLiteral("room"), room}});
        QVERIFY(watcher
                    ->waitFor(QStringLiteral("typing"),
                              {{QStringLiteral("room"), room}, {QStringLiteral("user"), u"pat"_qs}})
                    .size());
        onB.reset(); // still online on A
        QTest::qWait(700);
        QCOMPARE(countOf(*watcher, QStringLiteral("presence"), online), 1);
        QCOMPARE(countOf(*watcher, QStringLiteral("presence"), offline), 1);
        onA.reset();
        QTRY_COMPARE(countOf(*watcher, QStringLiteral("presence"), offline), 2);
    }

    // A server-wide ban issued on B closes the user's sessions on A and C with 4403, and every
    // instance refuses the user's tokens after.
    void aServerBanOnOneInstanceClosesTheUserEverywhere()
    {
        auto onA = openAs(0, QStringLiteral("troll"));
        auto onC = openAs(2, QStringLiteral("troll"));
        auto moderator = openAs(1, QStringLiteral("mod-b"), {}, QStringLiteral("moderator"));
        QVERIFY(onA && onC && moderator);
        const QJsonObject ack = moderator->answerTo(moderator->request(
            QStringLiteral("ban"),
            {{QStringLiteral("user"), QStringLiteral("troll")}, {u"reason"_qs, u"spam"_qs}}));
        QCOMPARE(ack.value(u"type").toString(), QStringLiteral("ack"));
        QVERIFY(onA->waitClosed());
        QVERIFY(onC->waitClosed());
        QCOMPARE(int(onA->socket().closeCode()), 4403);
        QCOMPARE(int(onC->socket().closeCode()), 4403);

        ChatTestClient again;
        again.open(m_cluster.server(2).webSocketPort(),
                   m_cluster.server(2).token(QStringLiteral("troll")));
        QVERIFY(again.waitClosed());
        QCOMPARE(int(again.socket().closeCode()), 4403);
    }

    // A room ban issued on A takes the user's session on C out of the room at once; a kick
    // (private room) on A does the same on C.
    void roomBansAndKicksReachOtherInstances()
    {
        const QString room = QStringLiteral("modroom");
        auto speaker = openAs(0, QStringLiteral("speaker"), room);
        auto target = openAs(2, QStringLiteral("rowdy"), room);
        auto moderator = openAs(0, QStringLiteral("mod-a"), {}, QStringLiteral("moderator"));
        QVERIFY(speaker && target && moderator);
        QTest::qWait(200); // the relay's SUBSCRIBE
        QVERIFY(actionReaches(*moderator, u"ban"_qs, room, u"rowdy"_qs, *target));
        QCOMPARE(answerType(*speaker, QStringLiteral("send"),
                            {{QStringLiteral("room"), room},
                             {QStringLiteral("body"), u"after the ban"_qs},
                             {u"client_msg_id"_qs, u"b-1"_qs}}),
                 QStringLiteral("ack"));
        QVERIFY(speaker->waitFor(QStringLiteral("message"), {{u"body"_qs, u"after the ban"_qs}})
                    .size());
        QTest::qWait(500);
        QCOMPARE(countOf(*target, QStringLiteral("message"), {{u"body"_qs, u"after the ban"_qs}}),
                 0);

        // A private room: created on A with the target as a member, heard on C, then a kick.
        const QString secret = QStringLiteral("backroom");
        QCOMPARE(
            answerType(*speaker, QStringLiteral("create_room"),
                       {{QStringLiteral("room"), secret}, {QStringLiteral("kind"), u"private"_qs}}),
            QStringLiteral("ack"));
        QVERIFY(actionReaches(*speaker, u"invite"_qs, secret, u"rowdy"_qs, *target));
        QTest::qWait(200); // C subscribes to the room's channel
        speaker->request(QStringLiteral("send"), {{QStringLiteral("room"), secret},
                                                  {QStringLiteral("body"), u"welcome"_qs},
                                                  {u"client_msg_id"_qs, u"k-1"_qs}});
        QVERIFY(target->waitFor(QStringLiteral("message"), {{u"body"_qs, u"welcome"_qs}}).size());
        QVERIFY(actionReaches(*speaker, u"kick"_qs, secret, u"rowdy"_qs, *target));
        speaker->request(QStringLiteral("send"), {{QStringLiteral("room"), secret},
                                                  {QStringLiteral("body"), u"gone"_qs},
                                                  {u"client_msg_id"_qs, u"k-2"_qs}});
        QVERIFY(speaker->waitFor(QStringLiteral("message"), {{u"body"_qs, u"gone"_qs}}).size());
        QTest::qWait(500);
        QCOMPARE(countOf(*target, QStringLiteral("message"), {{u"body"_qs, u"gone"_qs}}), 0);
    }

    // MAX_CONNECTIONS_PER_USER counts the user's sessions on every instance.
    void theSessionCapHoldsAcrossInstances()
    {
        auto onA = openAs(0, QStringLiteral("many"));
        auto onB = openAs(1, QStringLiteral("many"));
        QVERIFY(onA && onB);
        ChatTestClient third;
        third.open(m_cluster.server(2).webSocketPort(),
                   m_cluster.server(2).token(QStringLiteral("many")));
        QVERIFY(third.waitClosed());
        QCOMPARE(int(third.socket().closeCode()), 4429);
        onB.reset(); // a place is free again
        QTest::qWait(300);
        auto again = openAs(2, QStringLiteral("many"));
        QVERIFY(again);
        QTest::qWait(500);
        QCOMPARE(again->socket().state(), QAbstractSocket::ConnectedState);
    }

    // A user who spent the budget on A finds it spent on B too.
    void theRateLimitHoldsAcrossInstances()
    {
        const QString room = QStringLiteral("rates");
        auto onA = openAs(0, QStringLiteral("spender"), room);
        auto onB = openAs(1, QStringLiteral("spender"));
        QVERIFY(onA && onB);
        QTest::qWait(1500); // the join's cost flowed back in
        for (int i = 0; i < kBurst; ++i)
            QCOMPARE(answerType(*onA, QStringLiteral("send"),
                                {{QStringLiteral("room"), room},
                                 {QStringLiteral("body"), u"x"_qs},
                                 {u"client_msg_id"_qs, QString::number(i)}}),
                     QStringLiteral("ack"));
        QTest::qWait(300); // charged in Redis, told to B
        for (int i = 0; i < 2; ++i) {
            const QJsonObject answer = onB->answerTo(onB->request(
                QStringLiteral("send"), {{QStringLiteral("room"), room},
                                         {QStringLiteral("body"), u"y"_qs},
                                         {u"client_msg_id"_qs, QStringLiteral("b%1").arg(i)}}));
            QCOMPARE(answer.value(u"code").toString(), QStringLiteral("rate_limited"));
            QVERIFY(answer.value(u"retry_after_ms").toInteger() > 0);
        }
    }

    // Redis gone: sessions open and close at once, presence and the counts are the
    // instance's own, the rate limit and bans apply locally; back, the deployment again.
    void withoutRedisEachInstanceGoesOnAlone()
    {
        const QString room = QStringLiteral("alone");
        auto watcher = openAs(0, QStringLiteral("watcher-a"), room);
        auto member = openAs(0, QStringLiteral("lone"), room);
        auto elsewhere = openAs(1, QStringLiteral("far"));
        QVERIFY(watcher && member && elsewhere);
        member.reset();
        QVERIFY(watcher
                    ->waitFor(QStringLiteral("presence"),
                              presence(room, QStringLiteral("lone"), QStringLiteral("offline")))
                    .size());
        m_cluster.redis().kill();
        QTRY_COMPARE_WITH_TIMEOUT(scrapeMetric(m_cluster.server(0).metricsPort(), "redis_up"), 0.0,
                                  10000);

        QElapsedTimer opening;
        opening.start();
        auto back = openAs(0, QStringLiteral("lone"));
        QVERIFY(back);
        QVERIFY(watcher
                    ->waitFor(QStringLiteral("presence"),
                              presence(room, QStringLiteral("lone"), QStringLiteral("online")))
                    .size());
        QVERIFY2(opening.elapsed() < 3000, "a session waited for Redis");
        QTRY_COMPARE(scrapeMetric(m_cluster.server(0).metricsPort(), "active_users_total"),
                     scrapeMetric(m_cluster.server(0).metricsPort(), "active_users_instance"));
        for (int i = 0; i < kBurst + 1; ++i)
            back->request(QStringLiteral("send"), {{QStringLiteral("room"), room},
                                                   {QStringLiteral("body"), u"z"_qs},
                                                   {u"client_msg_id"_qs, QString::number(i)}});
        // The session's first request took a quarter of the bucket: 4 or 5 sends get through.
        const auto answered = [&back, &room] {
            return countOf(*back, QStringLiteral("ack"), {{u"room"_qs, room}}) +
                   countOf(*back, QStringLiteral("error"), {{u"code"_qs, u"rate_limited"_qs}});
        };
        QTRY_COMPARE(answered(), kBurst + 1);
        QVERIFY(countOf(*back, QStringLiteral("error"), {{u"code"_qs, u"rate_limited"_qs}}) >= 1);

        QVERIFY2(m_cluster.redis().start(), qPrintable(m_cluster.redis().errorString()));
        for (int i = 0; i < 3; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(scrapeMetric(m_cluster.server(i).metricsPort(), "redis_up"),
                                      1.0, 15000);
        // The instances wrote their users anew: watcher-a, lone (A) and far (B).
        for (int i = 0; i < 3; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(
                scrapeMetric(m_cluster.server(i).metricsPort(), "active_users_total"), 3.0, 10000);
    }

    // An instance killed (SIGKILL) says nothing: the others find it silent and take its users
    // out of the deployment's count once. Last: the instance stays dead.
    void aDeadInstancesUsersLeaveTheCount()
    {
        auto dee = openAs(0, QStringLiteral("dee"));
        auto eve = openAs(2, QStringLiteral("eve"));
        auto fay = openAs(2, QStringLiteral("fay"));
        QVERIFY(dee && eve && fay);
        const double before = scrapeMetric(m_cluster.server(0).metricsPort(), "active_users_total");
        QTRY_COMPARE_WITH_TIMEOUT(
            scrapeMetric(m_cluster.server(1).metricsPort(), "active_users_total"), before, 10000);
        QVERIFY(before >= 3);
        const double onTheDeadOne =
            scrapeMetric(m_cluster.server(2).metricsPort(), "active_users_instance");
        m_cluster.server(2).sendSignal(SIGKILL);
        QVERIFY(m_cluster.server(2).waitForExit(5000));
        // Silent for 10 s, then the next heartbeat (every 2 s) subtracts its users.
        for (int i = 0; i < 2; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(
                scrapeMetric(m_cluster.server(i).metricsPort(), "active_users_total"),
                before - onTheDeadOne, 20000);
    }

private:
    // A client of `user` on instance `index`, connected and, with `room`, joined to it; its
    // session is open (its first answer came back) when this returns. Empty on failure.
    std::unique_ptr<ChatTestClient> openAs(int index, const QString &user, const QString &room = {},
                                           const QString &roles = {})
    {
        ServerProcess &server = m_cluster.server(index);
        auto client = std::make_unique<ChatTestClient>();
        client->open(server.webSocketPort(), server.token(user, roles));
        if (!client->waitConnected())
            return {};
        const QJsonObject answer =
            room.isEmpty()
                ? client->answerTo(client->request(QStringLiteral("rooms")))
                : client->answerTo(client->request(QStringLiteral("join"), {{u"room"_qs, room}}));
        if (answer.value(u"type").toString() != u"ack")
            return {};
        return client;
    }

    ServerCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestClusterModeration)
#include "tst_cluster_moderation.moc"
