// The moderators' directories against the real binary: GET /api/rooms lists public and private
// rooms (not direct ones) with owner, members and those online, messages of the last hour, last
// activity and open reports, searchable and paged; GET /api/rooms/{room}/messages reads a room
// for its moderators, auditing reads of private rooms as `view` and refusing direct rooms;
// GET /api/users and /api/users/{id} show each user's standing (online, messages, sanctions,
// recent public messages, moderation history).
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace veza::testing;

namespace {

QString typeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("type")).toString();
}

} // namespace

class TestDirectories : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatTestClient> connect(const QString &user, const QString &roles = {})
    {
        auto client = std::make_unique<ChatTestClient>();
        client->open(m_server->webSocketPort(), m_server->token(user, roles));
        return client->waitConnected() ? std::move(client) : nullptr;
    }

    static QJsonObject ask(ChatTestClient &client, const QString &type, const QJsonObject &fields)
    {
        return client.answerTo(client.request(type, fields));
    }

    static QJsonObject say(ChatTestClient &client, const QString &room, const QString &body)
    {
        return ask(client, QStringLiteral("send"),
                   {{QStringLiteral("room"), room},
                    {QStringLiteral("body"), body},
                    {QStringLiteral("client_msg_id"), QUuid::createUuid().toString()}});
    }

    HttpReply get(const QByteArray &path, const QByteArray &token)
    {
        HttpProbe probe(m_server->httpPort());
        return probe.get(path, 5000, "Authorization: Bearer " + token + "\r\n");
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_moderator = m_server->token(QStringLiteral("mod"), QStringLiteral("moderator"));
        m_alice = connect(QStringLiteral("alice"));
        m_bob = connect(QStringLiteral("bob"));
        m_olga = connect(QStringLiteral("olga"));
        QVERIFY(m_alice && m_bob && m_olga);
        for (ChatTestClient *member : {m_alice.get(), m_bob.get()})
            QCOMPARE(typeOf(ask(*member, QStringLiteral("join"),
                                {{QStringLiteral("room"), u"lobby"_qs}})),
                     QStringLiteral("ack"));
        QCOMPARE(typeOf(say(*m_alice, u"lobby"_qs, u"one"_qs)), QStringLiteral("ack"));
        QCOMPARE(typeOf(say(*m_bob, u"lobby"_qs, u"two"_qs)), QStringLiteral("ack"));
        QCOMPARE(typeOf(ask(*m_olga, QStringLiteral("create_room"),
                            {{QStringLiteral("room"), u"club"_qs},
                             {QStringLiteral("kind"), u"private"_qs},
                             {QStringLiteral("topic"), u"Members only"_qs}})),
                 QStringLiteral("ack"));
        const QJsonObject secret = say(*m_olga, u"club"_qs, u"the password is swordfish"_qs);
        QCOMPARE(
            typeOf(ask(*m_olga, QStringLiteral("report"),
                       {{QStringLiteral("room"), u"club"_qs},
                        {QStringLiteral("message_id"), secret.value(QStringLiteral("message_id"))},
                        {QStringLiteral("reason"), u"other"_qs}})),
            QStringLiteral("ack"));
        const QJsonObject dm = ask(*m_alice, QStringLiteral("dm"),
                                   {{QStringLiteral("to"), u"bob"_qs},
                                    {QStringLiteral("body"), u"psst"_qs},
                                    {QStringLiteral("client_msg_id"), u"dm-1"_qs}});
        m_directRoom = dm.value(QStringLiteral("room")).toString();
        QVERIFY(!m_directRoom.isEmpty());
    }

    void cleanupTestCase() { m_server.reset(); }

    void roomsAreListedWithTheirActivity()
    {
        const HttpReply reply = get("/api/rooms", m_moderator);
        QCOMPARE(reply.status, 200);
        const QJsonArray rooms = reply.json().value(QStringLiteral("rooms")).toArray();
        QCOMPARE(rooms.size(), 2); // the direct room is not listed
        const QJsonObject club = rooms[0].toObject();
        const QJsonObject lobby = rooms[1].toObject();
        QCOMPARE(club.value(u"name"_qs).toString(), QStringLiteral("club"));
        QCOMPARE(club.value(u"kind"_qs).toString(), QStringLiteral("private"));
        QCOMPARE(club.value(u"owner"_qs).toString(), QStringLiteral("olga"));
        QCOMPARE(club.value(u"topic"_qs).toString(), QStringLiteral("Members only"));
        QCOMPARE(club.value(u"open_reports"_qs).toInt(), 1);
        QCOMPARE(lobby.value(u"members"_qs).toInt(), 2);
        QCOMPARE(lobby.value(u"members_online"_qs).toInt(), 2);
        QCOMPARE(lobby.value(u"messages_last_hour"_qs).toInt(), 2);
        QVERIFY(lobby.value(u"last_activity"_qs).toInteger() > 0);
        QVERIFY(lobby.value(u"owner"_qs).isNull()); // created by its first join
        QCOMPARE(lobby.value(u"open_reports"_qs).toInt(), 0);
        QVERIFY(reply.json().value(u"next_after"_qs).isNull());

        // bob leaves: one member online fewer.
        m_bob.reset();
        QTRY_COMPARE(get("/api/rooms?query=LOB", m_moderator)
                         .json()
                         .value(u"rooms"_qs)
                         .toArray()
                         .first()
                         .toObject()
                         .value(u"members_online"_qs)
                         .toInt(),
                     1);
        QCOMPARE(
            get("/api/rooms?query=only", m_moderator).json().value(u"rooms"_qs).toArray().size(),
            1); // the topic matches too
        QCOMPARE(
            get("/api/rooms?query=%25", m_moderator).json().value(u"rooms"_qs).toArray().size(),
            0); // a literal %, not a wildcard

        const QJsonObject first = get("/api/rooms?limit=1", m_moderator).json();
        QCOMPARE(first.value(u"next_after"_qs).toString(), QStringLiteral("club"));
        const QJsonObject second = get("/api/rooms?limit=1&after=club", m_moderator).json();
        QCOMPARE(second.value(u"rooms"_qs).toArray()[0].toObject().value(u"name"_qs).toString(),
                 QStringLiteral("lobby"));
        QVERIFY(second.value(u"next_after"_qs).isNull());

        QCOMPARE(get("/api/rooms", m_server->token(u"alice"_qs)).status, 403);
        QCOMPARE(get("/api/rooms?limit=500", m_moderator).status, 400);
    }

    void moderatorsReadRoomsAndPrivateReadsAreAudited()
    {
        const HttpReply lobby = get("/api/rooms/lobby/messages", m_moderator);
        QCOMPARE(lobby.status, 200);
        QCOMPARE(lobby.json().value(u"messages"_qs).toArray().size(), 2);
        QCOMPARE(get("/api/rooms/lobby/messages?limit=1", m_moderator)
                     .json()
                     .value(u"messages"_qs)
                     .toArray()
                     .size(),
                 1);

        const HttpReply club = get("/api/rooms/club/messages", m_moderator);
        QCOMPARE(club.status, 200);
        QCOMPARE(
            club.json().value(u"messages"_qs).toArray()[0].toObject().value(u"body"_qs).toString(),
            QStringLiteral("the password is swordfish"));
        const QJsonArray views = get("/api/moderation/actions?action=view", m_moderator)
                                     .json()
                                     .value(u"actions"_qs)
                                     .toArray();
        QCOMPARE(views.size(), 1); // the public room's reads are not audited
        QCOMPARE(views[0].toObject().value(u"room"_qs).toString(), QStringLiteral("club"));
        QCOMPARE(views[0].toObject().value(u"actor"_qs).toString(), QStringLiteral("mod"));

        QCOMPARE(get("/api/rooms/" + m_directRoom.toUtf8() + "/messages", m_moderator).status, 403);
        // Not a moderator of the room: it does not exist for them.
        QCOMPARE(get("/api/rooms/club/messages", m_server->token(u"alice"_qs)).status, 404);
        QCOMPARE(get("/api/rooms/nowhere/messages", m_moderator).status, 404);
    }

    void usersAreListedWithTheirStanding()
    {
        // alice gets a timeout in the lobby; olga is offline now.
        auto moderator = connect(QStringLiteral("mod"), QStringLiteral("moderator"));
        QVERIFY(moderator);
        QCOMPARE(typeOf(ask(*moderator, QStringLiteral("timeout"),
                            {{QStringLiteral("room"), u"lobby"_qs},
                             {QStringLiteral("user"), u"alice"_qs},
                             {QStringLiteral("seconds"), 300},
                             {QStringLiteral("reason"), u"calm"_qs}})),
                 QStringLiteral("ack"));
        m_olga.reset();

        const HttpReply reply = get("/api/users", m_moderator);
        QCOMPARE(reply.status, 200);
        QHash<QString, QJsonObject> users;
        for (const QJsonValue &row : reply.json().value(u"users"_qs).toArray())
            users.insert(row.toObject().value(u"user"_qs).toString(), row.toObject());
        QVERIFY2(users.contains(u"alice"_qs) && users.contains(u"olga"_qs) &&
                     users.contains(u"mod"_qs),
                 reply.body.constData());
        const QJsonObject alice = users.value(u"alice"_qs);
        QCOMPARE(alice.value(u"online"_qs).toInt(), 1);
        QCOMPARE(alice.value(u"messages"_qs).toInt(), 2); // "one" and the direct message
        QVERIFY(alice.value(u"first_seen"_qs).toInteger() > 0);
        QVERIFY(alice.value(u"last_seen"_qs).toInteger() >=
                alice.value(u"first_seen"_qs).toInteger());
        const QJsonArray sanctions = alice.value(u"sanctions"_qs).toArray();
        QCOMPARE(sanctions.size(), 1);
        QCOMPARE(sanctions[0].toObject().value(u"kind"_qs).toString(), QStringLiteral("timeout"));
        QCOMPARE(sanctions[0].toObject().value(u"room"_qs).toString(), QStringLiteral("lobby"));
        QTRY_COMPARE(get("/api/users?query=OLG", m_moderator)
                         .json()
                         .value(u"users"_qs)
                         .toArray()
                         .first()
                         .toObject()
                         .value(u"online"_qs)
                         .toInt(),
                     0);
        QCOMPARE(users.value(u"mod"_qs).value(u"roles"_qs).toArray(),
                 QJsonArray({u"moderator"_qs}));

        const HttpReply page = get("/api/users/alice", m_moderator);
        QCOMPARE(page.status, 200);
        const QJsonArray recent = page.json().value(u"recent_messages"_qs).toArray();
        QCOMPARE(recent.size(), 1); // the public room's message, not the direct one
        QCOMPARE(recent[0].toObject().value(u"body"_qs).toString(), QStringLiteral("one"));
        const QJsonArray history = page.json().value(u"moderation_history"_qs).toArray();
        QCOMPARE(history.size(), 1);
        QCOMPARE(history[0].toObject().value(u"action"_qs).toString(), QStringLiteral("timeout"));
        QCOMPARE(history[0].toObject().value(u"reason"_qs).toString(), QStringLiteral("calm"));

        QCOMPARE(get("/api/users/nobody", m_moderator).status, 404);
        QCOMPARE(get("/api/users", m_server->token(u"alice"_qs)).status, 403);
        QCOMPARE(get("/api/users/alice", m_server->token(u"alice"_qs)).status, 403);
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_moderator;
    std::unique_ptr<ChatTestClient> m_alice;
    std::unique_ptr<ChatTestClient> m_bob;
    std::unique_ptr<ChatTestClient> m_olga;
    QString m_directRoom;
};

QTEST_GUILESS_MAIN(TestDirectories)
#include "tst_directories.moc"
