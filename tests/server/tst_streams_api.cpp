// /api/streams against the real binary: broadcasters create streams and get their key once,
// names are validated and unique among live definitions, unlisted streams stay hidden from
// others, keys rotate, only owners and admins end a stream, and definitions survive a restart.
#include "HttpProbe.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <csignal>

using namespace veza::testing;

namespace {

QByteArray bearer(const QByteArray &token)
{
    return token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n";
}

QByteArray body(const QString &name, bool isPublic = true)
{
    const QJsonObject object{{QStringLiteral("name"), name},
                             {QStringLiteral("title"), QStringLiteral("Night shift")},
                             {QStringLiteral("description"), QStringLiteral("Late jazz")},
                             {QStringLiteral("genre"), QStringLiteral("jazz")},
                             {QStringLiteral("public"), isPublic}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QStringList namesOf(const HttpReply &reply)
{
    QStringList names;
    for (const QJsonValue &stream : reply.json().value(QStringLiteral("streams")).toArray())
        names << stream.toObject().value(QStringLiteral("name")).toString();
    return names;
}

} // namespace

class TestStreamsApi : public QObject
{
    Q_OBJECT

private:
    HttpReply call(const QByteArray &method, const QByteArray &path, const QByteArray &token,
                   const QByteArray &content = {})
    {
        HttpProbe probe(m_server->httpPort());
        const QByteArray type =
            content.isEmpty() ? QByteArray() : QByteArray("Content-Type: application/json\r\n");
        return probe.request(method, path, content, 5000, bearer(token) + type);
    }

    HttpReply create(const QByteArray &token, const QString &name, bool isPublic = true)
    {
        return call("POST", "/api/streams", token, body(name, isPublic));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_alice = m_server->token(QStringLiteral("alice"), QStringLiteral("broadcaster"));
        m_bob = m_server->token(QStringLiteral("bob"), QStringLiteral("broadcaster"));
        m_carol = m_server->token(QStringLiteral("carol"), QStringLiteral("listener"));
        m_admin = m_server->token(QStringLiteral("root"), QStringLiteral("admin"));
        QVERIFY(!m_alice.isEmpty() && !m_bob.isEmpty() && !m_carol.isEmpty() && !m_admin.isEmpty());
    }

    void cleanupTestCase()
    {
        m_restarted.reset(); // before m_server, whose directory it uses
        m_server.reset();
    }

    void broadcasterCreatesAStream()
    {
        const HttpReply reply = create(m_alice, QStringLiteral("night-shift"));
        QCOMPARE(reply.status, 201);
        const QJsonObject stream = reply.json();
        QCOMPARE(stream.value(QStringLiteral("name")).toString(), u"night-shift"_qs);
        QCOMPARE(stream.value(QStringLiteral("mount")).toString(), u"/live/night-shift"_qs);
        QCOMPARE(stream.value(QStringLiteral("title")).toString(), u"Night shift"_qs);
        QCOMPARE(stream.value(QStringLiteral("description")).toString(), u"Late jazz"_qs);
        QCOMPARE(stream.value(QStringLiteral("genre")).toString(), u"jazz"_qs);
        QCOMPARE(stream.value(QStringLiteral("public")).toBool(false), true);
        QCOMPARE(stream.value(QStringLiteral("owner")).toString(), u"alice"_qs);
        QCOMPARE(stream.value(QStringLiteral("state")).toString(), u"offline"_qs);
        const qint64 createdAt = stream.value(QStringLiteral("created_at")).toInteger();
        QVERIFY(qAbs(createdAt - QDateTime::currentMSecsSinceEpoch()) < 60000);
        m_key = stream.value(QStringLiteral("stream_key")).toString();
        QVERIFY(m_key.startsWith(u"vzs_"));
        QCOMPARE(m_key.size(), 47);
    }

    void refusals()
    {
        const HttpReply listener = create(m_carol, QStringLiteral("carols"));
        QCOMPARE(listener.status, 403);
        QCOMPARE(listener.json().value(QStringLiteral("error")).toString(), u"forbidden"_qs);
        const HttpReply anonymous = create({}, QStringLiteral("anyone"));
        QCOMPARE(anonymous.status, 401);
        QCOMPARE(anonymous.json().value(QStringLiteral("error")).toString(), u"unauthorized"_qs);
        QCOMPARE(create("not.a.token", QStringLiteral("anyone")).status, 401);
        QCOMPARE(call("GET", "/api/streams", {}).status, 401);

        const HttpReply badName = create(m_alice, QStringLiteral("Bad Name"));
        QCOMPARE(badName.status, 400);
        QCOMPARE(badName.json().value(QStringLiteral("error")).toString(), u"bad_request"_qs);
        QVERIFY2(badName.json().value(QStringLiteral("reason")).toString().contains(u"name"),
                 badName.body.constData());
        QCOMPARE(create(m_alice, QString(65, u'a')).status, 400);
        QCOMPARE(create(m_alice, QStringLiteral("-dash")).status, 400);
        QCOMPARE(call("POST", "/api/streams", m_alice, "not json").status, 400);
        QCOMPARE(call("POST", "/api/streams", m_alice, "{\"title\":\"no name\"}").status, 400);
        QCOMPARE(
            call("POST", "/api/streams", m_alice, "{\"name\":\"x\",\"public\":\"yes\"}").status,
            400);
        // Free text reaches listeners' icy-* response headers: no line breaks, no controls.
        for (const char *field : {"title", "description", "genre"}) {
            const HttpReply broken = call("POST", "/api/streams", m_alice,
                                          QByteArray("{\"name\":\"x\",\"") + field +
                                              "\":\"Jazz\\r\\nSet-Cookie: a=b\"}");
            QCOMPARE(broken.status, 400);
            QVERIFY2(broken.json()
                         .value(QStringLiteral("reason"))
                         .toString()
                         .contains(u"must not contain control characters"),
                     broken.body.constData());
        }

        const HttpReply taken = create(m_bob, QStringLiteral("night-shift"));
        QCOMPARE(taken.status, 409);
        QCOMPARE(taken.json().value(QStringLiteral("error")).toString(), u"conflict"_qs);
    }

    void listShowsItOffline()
    {
        const HttpReply reply = call("GET", "/api/streams", m_carol);
        QCOMPARE(reply.status, 200);
        const QJsonArray streams = reply.json().value(QStringLiteral("streams")).toArray();
        QCOMPARE(streams.size(), 1);
        const QJsonObject stream = streams.at(0).toObject();
        QCOMPARE(stream.value(QStringLiteral("name")).toString(), u"night-shift"_qs);
        QCOMPARE(stream.value(QStringLiteral("state")).toString(), u"offline"_qs);
        QCOMPARE(stream.value(QStringLiteral("listeners")).toInt(-1), 0);
        QVERIFY(stream.value(QStringLiteral("ingest_bitrate_bps")).isNull());
        QVERIFY(stream.value(QStringLiteral("started_at")).isNull());
        QVERIFY(!stream.contains(QStringLiteral("stream_key")));

        const HttpReply one = call("GET", "/api/streams/night-shift", m_carol);
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json().value(QStringLiteral("owner")).toString(), u"alice"_qs);
        QVERIFY(!one.json().contains(QStringLiteral("stream_key")));
        QCOMPARE(call("GET", "/api/streams/nothing-here", m_carol).status, 404);
        QCOMPARE(call("GET", "/api/streams/Not%20A%20Name", m_carol).status, 404);
    }

    void unlistedIsHiddenFromOthers()
    {
        QCOMPARE(create(m_bob, QStringLiteral("bobs-secret"), false).status, 201);
        QCOMPARE(namesOf(call("GET", "/api/streams", m_carol)), QStringList{u"night-shift"_qs});
        QCOMPARE(namesOf(call("GET", "/api/streams", m_alice)), QStringList{u"night-shift"_qs});
        QCOMPARE(namesOf(call("GET", "/api/streams", m_bob)),
                 QStringList({u"bobs-secret"_qs, u"night-shift"_qs}));
        QCOMPARE(namesOf(call("GET", "/api/streams", m_admin)),
                 QStringList({u"bobs-secret"_qs, u"night-shift"_qs}));
        QCOMPARE(call("GET", "/api/streams/bobs-secret", m_carol).status, 404);
        QCOMPARE(call("GET", "/api/streams/bobs-secret", m_bob).status, 200);
        QCOMPARE(call("GET", "/api/streams/bobs-secret", m_admin).status, 200);
        QCOMPARE(call("DELETE", "/api/streams/bobs-secret", m_alice).status, 404);
    }

    void rotateKey()
    {
        QCOMPARE(call("POST", "/api/streams/night-shift/key", m_bob).status, 403);
        QCOMPARE(call("POST", "/api/streams/night-shift/key", m_carol).status, 403);
        const HttpReply reply = call("POST", "/api/streams/night-shift/key", m_alice);
        QCOMPARE(reply.status, 200);
        const QString key = reply.json().value(QStringLiteral("stream_key")).toString();
        QVERIFY(key.startsWith(u"vzs_"));
        QVERIFY(key != m_key);
        const HttpReply byAdmin = call("POST", "/api/streams/night-shift/key", m_admin);
        QCOMPARE(byAdmin.status, 200);
        QVERIFY(byAdmin.json().value(QStringLiteral("stream_key")).toString() != key);
        QCOMPARE(call("POST", "/api/streams/nothing-here/key", m_alice).status, 404);
    }

    // PATCH /api/streams/{name}: the owner or an admin edits the description; fields left out
    // keep their value; free text is checked as at creation.
    void ownerEditsTheDescription()
    {
        const QByteArray path = "/api/streams/night-shift";
        QCOMPARE(call("PATCH", path, m_bob, R"({"title":"Mine now"})").status, 403);
        QCOMPARE(call("PATCH", path, m_carol, R"({"title":"Mine now"})").status, 403);
        const HttpReply edited =
            call("PATCH", path, m_alice, R"({"title":"Late set","genre":"ambient"})");
        QCOMPARE(edited.status, 200);
        QCOMPARE(edited.json().value(u"title"_qs).toString(), QStringLiteral("Late set"));
        QCOMPARE(edited.json().value(u"genre"_qs).toString(), QStringLiteral("ambient"));
        const QString description = edited.json().value(u"description"_qs).toString();
        const HttpReply byAdmin = call("PATCH", path, m_admin, R"({"public":false})");
        QCOMPARE(byAdmin.status, 200);
        QCOMPARE(byAdmin.json().value(u"public"_qs).toBool(), false);
        QCOMPARE(byAdmin.json().value(u"title"_qs).toString(), QStringLiteral("Late set"));
        QCOMPARE(byAdmin.json().value(u"description"_qs).toString(), description);
        // Unlisted now: bob no longer sees it at all.
        QCOMPARE(call("PATCH", path, m_bob, R"({"title":"x"})").status, 404);
        QCOMPARE(call("PATCH", path, m_alice, R"({"title":"a\nb"})").status, 400);
        QCOMPARE(call("PATCH", path, m_alice, R"({"public":"yes"})").status, 400);
        QCOMPARE(call("PATCH", path, m_alice, "not json").status, 400);
        QCOMPARE(call("PATCH", path, m_alice, R"({"public":true})").status, 200);
    }

    void deleteThenCreateAgain()
    {
        const HttpReply byOther = call("DELETE", "/api/streams/night-shift", m_bob);
        QCOMPARE(byOther.status, 403);
        QCOMPARE(byOther.json().value(QStringLiteral("error")).toString(), u"forbidden"_qs);
        QCOMPARE(call("DELETE", "/api/streams/night-shift", m_carol).status, 403);
        const HttpReply byOwner = call("DELETE", "/api/streams/night-shift", m_alice);
        QCOMPARE(byOwner.status, 204);
        QVERIFY(byOwner.body.isEmpty());
        QCOMPARE(call("GET", "/api/streams/night-shift", m_alice).status, 404);
        QCOMPARE(call("DELETE", "/api/streams/night-shift", m_alice).status, 404);
        QVERIFY(!namesOf(call("GET", "/api/streams", m_admin)).contains(u"night-shift"_qs));

        const HttpReply again = create(m_bob, QStringLiteral("night-shift"));
        QCOMPARE(again.status, 201);
        QCOMPARE(again.json().value(QStringLiteral("owner")).toString(), u"bob"_qs);
        QCOMPARE(call("DELETE", "/api/streams/bobs-secret", m_admin).status, 204);
    }

    void survivesRestart()
    {
        m_server->sendSignal(SIGTERM);
        QVERIFY(m_server->waitForExit(15000));
        // Same data directory (database, JWT secret); the first process's directory lives on.
        m_restarted = std::make_unique<ServerProcess>();
        m_restarted->setEnv(QStringLiteral("DATA_DIR"), m_server->dataDir());
        m_restarted->setEnv(QStringLiteral("DATABASE_URL"),
                            QStringLiteral("sqlite://%1/veza.db").arg(m_server->dataDir()));
        QVERIFY2(m_restarted->start(), qPrintable(m_restarted->diagnostics()));
        HttpProbe probe(m_restarted->httpPort());
        const HttpReply reply = probe.get("/api/streams/night-shift", 5000, bearer(m_carol));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("owner")).toString(), u"bob"_qs);
        QCOMPARE(reply.json().value(QStringLiteral("title")).toString(), u"Night shift"_qs);
        QCOMPARE(namesOf(probe.get("/api/streams", 5000, bearer(m_admin))),
                 QStringList{u"night-shift"_qs});
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<ServerProcess> m_restarted;
    QByteArray m_alice, m_bob, m_carol, m_admin;
    QString m_key;
};

QTEST_GUILESS_MAIN(TestStreamsApi)
#include "tst_streams_api.moc"
