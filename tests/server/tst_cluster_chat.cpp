// Several instances behind one address: three real veza-server processes on one PostgreSQL and
// one Redis (REDIS_URL), started here. A message stored by any instance reaches the room's
// members on every instance, once, in id order; concurrent senders on three instances get
// unique, gap-free ids; while Redis is down each instance serves its own and /health/ready says
// it is degraded, and once Redis is back every acknowledged message reaches everyone.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "ServerCluster.h"

#include <QJsonArray>
#include <QTest>
#include <csignal>
#include <memory>

using namespace veza::testing;

namespace {

// The ids of the `message` events of `room` a client received, in arrival order.
QList<qint64> messageIds(const ChatTestClient &client, const QString &room)
{
    QList<qint64> ids;
    for (const QJsonObject &frame : client.received()) {
        if (frame.value(u"type").toString() == u"message" &&
            frame.value(u"room").toString() == room)
            ids.append(frame.value(u"message_id").toInteger());
    }
    return ids;
}

QList<qint64> oneTo(qint64 last)
{
    QList<qint64> ids;
    for (qint64 id = 1; id <= last; ++id)
        ids.append(id);
    return ids;
}

} // namespace

class TestClusterChat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_cluster.start(3), qPrintable(m_cluster.errorString())); }

    // A message sent on any instance reaches the members on the others, with its id.
    void messagesReachEveryInstance()
    {
        auto clients = joinAll(QStringLiteral("lobby"));
        QVERIFY(!clients.empty());
        for (int from = 0; from < 3; ++from) {
            const QJsonObject ack = clients[from]->answerTo(clients[from]->request(
                QStringLiteral("send"),
                {{QStringLiteral("room"), QStringLiteral("lobby")},
                 {QStringLiteral("body"), QStringLiteral("hello from %1").arg(from)},
                 {QStringLiteral("client_msg_id"), QStringLiteral("m-%1").arg(from)}}));
            QCOMPARE(ack.value(u"type").toString(), QStringLiteral("ack"));
            const qint64 id = ack.value(u"message_id").toInteger();
            for (int to = 0; to < 3; ++to) {
                const QJsonObject heard = clients[to]->waitFor(
                    QStringLiteral("message"), {{QStringLiteral("room"), QStringLiteral("lobby")},
                                                {QStringLiteral("message_id"), id}});
                QCOMPARE(heard.value(u"body").toString(),
                         QStringLiteral("hello from %1").arg(from));
            }
        }
    }

    // Senders on three instances at once: ids unique and gap-free, and every member sees them
    // all, once, in id order.
    void concurrentSendersShareOneOrder()
    {
        auto clients = joinAll(QStringLiteral("busy"));
        QVERIFY(!clients.empty());
        constexpr int kEach = 40;
        QList<QString> requests[3];
        for (int i = 0; i < kEach; ++i) {
            for (int from = 0; from < 3; ++from)
                requests[from].append(clients[from]->request(
                    QStringLiteral("send"),
                    {{QStringLiteral("room"), QStringLiteral("busy")},
                     {QStringLiteral("body"), QStringLiteral("%1-%2").arg(from).arg(i)},
                     {QStringLiteral("client_msg_id"),
                      QStringLiteral("c-%1-%2").arg(from).arg(i)}}));
        }
        QSet<qint64> acked;
        for (int from = 0; from < 3; ++from) {
            for (const QString &id : std::as_const(requests[from])) {
                const QJsonObject ack = clients[from]->answerTo(id, 15000);
                QCOMPARE(ack.value(u"type").toString(), QStringLiteral("ack"));
                acked.insert(ack.value(u"message_id").toInteger());
            }
        }
        QCOMPARE(acked.size(), 3 * kEach);
        for (int to = 0; to < 3; ++to) {
            QTRY_COMPARE_WITH_TIMEOUT(messageIds(*clients[to], QStringLiteral("busy")).size(),
                                      3 * kEach, 15000);
            QCOMPARE(messageIds(*clients[to], QStringLiteral("busy")), oneTo(3 * kEach));
        }
    }

    // Redis down: each instance goes on with its own (sends acknowledged, its members hear
    // them), /health/ready stays 200 and says "degraded"; back up, the others hear everything
    // that was acknowledged meanwhile, in order, once.
    void aRedisOutageLosesNothing()
    {
        auto clients = joinAll(QStringLiteral("outage"));
        QVERIFY(!clients.empty());
        m_cluster.redis().kill();
        QTRY_VERIFY_WITH_TIMEOUT(HttpProbe::getOnce(m_cluster.server(1).httpPort(), "/health/ready")
                                     .json()
                                     .contains(u"degraded"),
                                 10000);
        const HttpReply ready = HttpProbe::getOnce(m_cluster.server(1).httpPort(), "/health/ready");
        QCOMPARE(ready.status, 200);
        QVERIFY2(ready.json()
                     .value(u"degraded")
                     .toArray()
                     .first()
                     .toString()
                     .startsWith(QStringLiteral("redis: ")),
                 ready.body.constData());
        QCOMPARE(scrapeMetric(m_cluster.server(1).metricsPort(), "redis_up"), 0.0);

        for (int i = 0; i < 5; ++i) {
            const QJsonObject ack = clients[0]->answerTo(clients[0]->request(
                QStringLiteral("send"),
                {{QStringLiteral("room"), QStringLiteral("outage")},
                 {QStringLiteral("body"), QStringLiteral("during %1").arg(i)},
                 {QStringLiteral("client_msg_id"), QStringLiteral("o-%1").arg(i)}}));
            QCOMPARE(ack.value(u"type").toString(), QStringLiteral("ack"));
        }
        QTRY_COMPARE(messageIds(*clients[0], QStringLiteral("outage")), oneTo(5)); // its own
        QTest::qWait(300);
        QVERIFY(messageIds(*clients[1], QStringLiteral("outage")).isEmpty()); // not live

        QVERIFY2(m_cluster.redis().start(), qPrintable(m_cluster.redis().errorString()));
        for (int to = 1; to < 3; ++to)
            QTRY_COMPARE_WITH_TIMEOUT(messageIds(*clients[to], QStringLiteral("outage")), oneTo(5),
                                      15000);
        QTRY_VERIFY_WITH_TIMEOUT(
            !HttpProbe::getOnce(m_cluster.server(1).httpPort(), "/health/ready")
                 .json()
                 .contains(u"degraded"),
            10000);
        QCOMPARE(scrapeMetric(m_cluster.server(1).metricsPort(), "redis_up"), 1.0);
        // And live again.
        QCOMPARE(clients[2]
                     ->answerTo(clients[2]->request(
                         QStringLiteral("send"),
                         {{QStringLiteral("room"), QStringLiteral("outage")},
                          {QStringLiteral("body"), QStringLiteral("after")},
                          {QStringLiteral("client_msg_id"), QStringLiteral("o-after")}}))
                     .value(u"message_id")
                     .toInteger(),
                 6);
        for (int to = 0; to < 3; ++to)
            QTRY_COMPARE_WITH_TIMEOUT(messageIds(*clients[to], QStringLiteral("outage")), oneTo(6),
                                      10000);
    }

    // Redis killed and restarted while all three instances send: once the acks are in, every
    // member has every acknowledged message, once, in id order.
    void redisKilledMidTraffic()
    {
        auto clients = joinAll(QStringLiteral("traffic"));
        QVERIFY(!clients.empty());
        QList<QPair<int, QString>> requests;
        const auto burst = [&](int round) {
            for (int i = 0; i < 10; ++i) {
                for (int from = 0; from < 3; ++from) {
                    const QString body = QStringLiteral("%1-%2-%3").arg(round).arg(from).arg(i);
                    requests.append({from, clients[size_t(from)]->request(
                                               QStringLiteral("send"),
                                               {{QStringLiteral("room"), QStringLiteral("traffic")},
                                                {QStringLiteral("body"), body},
                                                {QStringLiteral("client_msg_id"), body}})});
                }
                QTest::qWait(10);
            }
        };
        burst(0);
        m_cluster.redis().kill();
        burst(1);
        QVERIFY2(m_cluster.redis().start(), qPrintable(m_cluster.redis().errorString()));
        burst(2);
        for (const auto &[from, id] : std::as_const(requests))
            QCOMPARE(clients[size_t(from)]->answerTo(id, 15000).value(u"type").toString(),
                     QStringLiteral("ack"));
        for (int to = 0; to < 3; ++to)
            QTRY_COMPARE_WITH_TIMEOUT(messageIds(*clients[size_t(to)], QStringLiteral("traffic")),
                                      oneTo(90), 15000);
    }

    // Rooms made on one instance for users online on others are heard there at once, with no
    // reconnection: the first direct message, a room created with them as members, and a
    // user's first join, which the user's sessions on the other instances follow too.
    void roomsMadeElsewhereAreHeardLive()
    {
        ChatTestClient erin;  // on A
        ChatTestClient fredB; // on B
        ChatTestClient fredC; // fred again, on C
        ChatTestClient gwenC; // on C
        erin.open(m_cluster.server(0).webSocketPort(), m_cluster.server(0).token("erin"));
        fredB.open(m_cluster.server(1).webSocketPort(), m_cluster.server(1).token("fred"));
        fredC.open(m_cluster.server(2).webSocketPort(), m_cluster.server(2).token("fred"));
        gwenC.open(m_cluster.server(2).webSocketPort(), m_cluster.server(2).token("gwen"));
        for (ChatTestClient *client : {&erin, &fredB, &fredC, &gwenC})
            QVERIFY(client->waitConnected());
        QTest::qWait(300); // each session opened (its rooms read) before the rooms are made

        const QJsonObject dm = erin.answerTo(
            erin.request(QStringLiteral("dm"), {{QStringLiteral("to"), QStringLiteral("fred")},
                                                {QStringLiteral("body"), QStringLiteral("psst")},
                                                {QStringLiteral("client_msg_id"), "dm-1"}}));
        QCOMPARE(dm.value(u"type").toString(), QStringLiteral("ack"));
        const QJsonObject direct{{QStringLiteral("room"), dm.value(u"room")},
                                 {QStringLiteral("body"), QStringLiteral("psst")}};
        QVERIFY(!fredB.waitFor(QStringLiteral("message"), direct, 10000).isEmpty());
        QVERIFY(!fredC.waitFor(QStringLiteral("message"), direct, 10000).isEmpty());

        const QJsonObject created = erin.answerTo(
            erin.request(QStringLiteral("create_room"),
                         {{QStringLiteral("room"), QStringLiteral("made-on-a")},
                          {QStringLiteral("kind"), QStringLiteral("private")},
                          {QStringLiteral("members"), QJsonArray{QStringLiteral("gwen")}}}));
        QCOMPARE(created.value(u"type").toString(), QStringLiteral("ack"));
        QTest::qWait(300); // C subscribed to the room's channel
        const QJsonObject sent = erin.answerTo(erin.request(
            QStringLiteral("send"), {{QStringLiteral("room"), QStringLiteral("made-on-a")},
                                     {QStringLiteral("body"), QStringLiteral("welcome")},
                                     {QStringLiteral("client_msg_id"), "made-1"}}));
        QCOMPARE(sent.value(u"type").toString(), QStringLiteral("ack"));
        QVERIFY(!gwenC
                     .waitFor(QStringLiteral("message"),
                              {{QStringLiteral("room"), QStringLiteral("made-on-a")},
                               {QStringLiteral("body"), QStringLiteral("welcome")}},
                              10000)
                     .isEmpty());

        // fred joins a public room on B: his session on C hears it too, as on one server.
        QCOMPARE(fredB
                     .answerTo(fredB.request(QStringLiteral("join"),
                                             {{QStringLiteral("room"), QStringLiteral("plaza")}}))
                     .value(u"type")
                     .toString(),
                 QStringLiteral("ack"));
        QCOMPARE(erin.answerTo(erin.request(QStringLiteral("join"),
                                            {{QStringLiteral("room"), QStringLiteral("plaza")}}))
                     .value(u"type")
                     .toString(),
                 QStringLiteral("ack"));
        QTest::qWait(300);
        QCOMPARE(erin.answerTo(erin.request(QStringLiteral("send"),
                                            {{QStringLiteral("room"), QStringLiteral("plaza")},
                                             {QStringLiteral("body"), QStringLiteral("hi all")},
                                             {QStringLiteral("client_msg_id"), "plaza-1"}}))
                     .value(u"type")
                     .toString(),
                 QStringLiteral("ack"));
        QVERIFY(!fredC
                     .waitFor(QStringLiteral("message"),
                              {{QStringLiteral("room"), QStringLiteral("plaza")},
                               {QStringLiteral("body"), QStringLiteral("hi all")}},
                              10000)
                     .isEmpty());
    }

    // Nothing the deployment keeps in Redis outlives it: every key expires on its own, within
    // 30 s of the last instance's last write (REDIS_TTL_DEFAULT is not needed: nothing is cached).
    void everyKeyExpiresOnItsOwn()
    {
        const auto clients = joinAll(QStringLiteral("expiry"));
        QVERIFY(!clients.empty());
        QTest::qWait(2500); // a heartbeat and a census of each instance
        const QList<QByteArray> keys =
            m_cluster.redis()
                .cli({QStringLiteral("--scan"), QStringLiteral("--pattern"),
                      QStringLiteral("veza:*")})
                .split('\n');
        QVERIFY(keys.size() >= 4); // instances, online hashes, streams census...
        for (const QByteArray &key : keys) {
            const qint64 ttlMs = m_cluster.redis()
                                     .cli({QStringLiteral("PTTL"), QString::fromUtf8(key)})
                                     .toLongLong();
            QVERIFY2(ttlMs > 0 && ttlMs <= 30000,
                     qPrintable(QStringLiteral("%1 expires in %2 ms").arg(key).arg(ttlMs)));
        }
    }

    // Instance A killed (SIGKILL) mid-conversation: its clients reconnect to B and `resume`:
    // every acknowledged message arrives once, in order, and a send A may or may not have
    // stored before dying, retried with its client_msg_id, is stored exactly once. Last: the
    // instance stays dead.
    void aKilledInstanceLosesNothing()
    {
        auto clients = joinAll(QStringLiteral("failover"));
        QVERIFY(!clients.empty());
        const auto send = [](ChatTestClient &client, const QString &body) {
            return client.request(QStringLiteral("send"),
                                  {{QStringLiteral("room"), QStringLiteral("failover")},
                                   {QStringLiteral("body"), body},
                                   {QStringLiteral("client_msg_id"), body}});
        };
        for (int i = 1; i <= 3; ++i)
            QCOMPARE(clients[0]
                         ->answerTo(send(*clients[0], QStringLiteral("a%1").arg(i)))
                         .value(u"message_id")
                         .toInteger(),
                     i);
        QTRY_COMPARE(messageIds(*clients[0], QStringLiteral("failover")), oneTo(3));
        send(*clients[0], QStringLiteral("in-flight")); // answered or not: A dies now
        m_cluster.server(0).sendSignal(SIGKILL);
        QVERIFY(m_cluster.server(0).waitForExit(5000));
        QVERIFY(clients[0]->waitClosed(5000));
        for (const QString &body : {QStringLiteral("b1"), QStringLiteral("b2")})
            QCOMPARE(clients[1]->answerTo(send(*clients[1], body)).value(u"type").toString(),
                     QStringLiteral("ack"));

        // The same user on B: resume after what it saw, then retry what was never acked.
        ChatTestClient back;
        back.open(m_cluster.server(1).webSocketPort(),
                  m_cluster.server(1).token(QStringLiteral("failover-0")));
        QVERIFY(back.waitConnected());
        const QJsonObject resumed = back.answerTo(back.request(
            QStringLiteral("resume"),
            {{QStringLiteral("rooms"),
              QJsonArray{QJsonObject{{QStringLiteral("room"), QStringLiteral("failover")},
                                     {QStringLiteral("after"), 3}}}}}));
        QCOMPARE(resumed.value(u"type").toString(), QStringLiteral("ack"));
        const qint64 last = resumed.value(u"rooms")
                                .toArray()
                                .first()
                                .toObject()
                                .value(u"last_message_id")
                                .toInteger();
        QVERIFY2(last == 5 || last == 6, qPrintable(QString::number(last))); // 6: in-flight stored
        QList<qint64> expected;
        for (qint64 id = 4; id <= last; ++id)
            expected.append(id);
        QCOMPARE(messageIds(back, QStringLiteral("failover")), expected);
        const QJsonObject retried = back.answerTo(send(back, QStringLiteral("in-flight")));
        QCOMPARE(retried.value(u"type").toString(), QStringLiteral("ack"));
        QCOMPARE(retried.value(u"duplicate").toBool(), last == 6);
        // Six messages either way (in-flight stored once), seen once each, in order, by everyone
        // still connected.
        QTRY_COMPARE_WITH_TIMEOUT(messageIds(*clients[2], QStringLiteral("failover")), oneTo(6),
                                  10000);
        QTRY_COMPARE(messageIds(*clients[1], QStringLiteral("failover")), oneTo(6));
    }

private:
    // One client per instance, each a different user, joined to `room`.
    std::vector<std::unique_ptr<ChatTestClient>> joinAll(const QString &room)
    {
        std::vector<std::unique_ptr<ChatTestClient>> clients;
        for (int i = 0; i < 3; ++i) {
            auto client = std::make_unique<ChatTestClient>();
            client->open(m_cluster.server(i).webSocketPort(),
                         m_cluster.server(i).token(QStringLiteral("%1-%2").arg(room).arg(i)));
            if (!client->waitConnected())
                return {};
            const QJsonObject joined = client->answerTo(
                client->request(QStringLiteral("join"), {{QStringLiteral("room"), room}}));
            if (joined.value(u"type").toString() != u"ack")
                return {};
            clients.push_back(std::move(client));
        }
        // Subscribed on every instance before anyone speaks: the relay's SUBSCRIBE went out.
        QTest::qWait(200);
        return clients;
    }

    ServerCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestClusterChat)
#include "tst_cluster_chat.moc"
