// Expand/contract through the real binary (also registered as tst_schema_rollback_postgresql):
// today's binary runs on the next schema, that is one more migration, recorded additive, adding
// what a next release typically adds (nullable and defaulted columns on the tables every feature
// writes, a table, an index), as after a rollback of the binary; today's queries all work on it:
// the chat (join, send, edit, react, history), reports (file, queue, resolve), streams (create,
// list, change, a broadcast with a listener, the listener history, delete), and their rows land
// with the new columns' defaults. A schema with a migration not marked additive is refused at
// start, naming it.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"
#include "storage/DatabaseUrl.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <csignal>

using namespace veza::testing;
using veza::storage::DatabaseUrl;

namespace {

// What the next release's additive migration adds (same SQL on both backends).
const QStringList kNextExpand{
    QStringLiteral("ALTER TABLE messages ADD COLUMN edited_by BIGINT"),
    QStringLiteral("ALTER TABLE rooms ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE"),
    QStringLiteral("ALTER TABLE room_members ADD COLUMN muted BOOLEAN NOT NULL DEFAULT FALSE"),
    QStringLiteral("ALTER TABLE users ADD COLUMN locale TEXT"),
    QStringLiteral("ALTER TABLE reactions ADD COLUMN skin_tone TEXT"),
    QStringLiteral("ALTER TABLE reports ADD COLUMN priority INTEGER NOT NULL DEFAULT 0"),
    QStringLiteral("ALTER TABLE streams ADD COLUMN language TEXT NOT NULL DEFAULT ''"),
    QStringLiteral("ALTER TABLE stream_sessions ADD COLUMN region TEXT"),
    QStringLiteral("ALTER TABLE listener_sessions ADD COLUMN country TEXT"),
    QStringLiteral("CREATE TABLE stream_tags (stream_id BIGINT NOT NULL REFERENCES streams (id) "
                   "ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY (stream_id, tag))"),
    QStringLiteral("CREATE INDEX idx_messages_created ON messages (created_at)"),
};

QString typeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("type")).toString();
}

// A connection of the test's own to the servers' database, while no server runs.
class DirectDatabase
{
public:
    explicit DirectDatabase(const QString &url)
    {
        const std::optional<DatabaseUrl> parsed = DatabaseUrl::parse(url);
        if (!parsed)
            return;
        QSqlDatabase db = QSqlDatabase::addDatabase(parsed->driverName(), kConnection);
        if (parsed->isSqlite()) {
            db.setDatabaseName(parsed->sqlitePath());
        } else {
            db.setHostName(parsed->host());
            db.setPort(parsed->port());
            db.setUserName(parsed->userName());
            db.setPassword(parsed->password());
            db.setDatabaseName(parsed->databaseName());
        }
        db.open();
    }
    ~DirectDatabase() { QSqlDatabase::removeDatabase(kConnection); }

    // Empty on success, else the database's error.
    QString exec(const QString &statement, const QVariantList &values = {})
    {
        QSqlQuery query(QSqlDatabase::database(kConnection));
        bool done = false;
        if (values.isEmpty()) {
            done = query.exec(statement); // DDL cannot be prepared on PostgreSQL
        } else {
            query.prepare(statement);
            for (const QVariant &value : values)
                query.addBindValue(value);
            done = query.exec();
        }
        if (!done)
            return statement + QStringLiteral(": ") + query.lastError().text();
        m_rows.clear();
        while (query.next())
            m_rows << query.value(0);
        return {};
    }
    QVariant value() const { return m_rows.value(0); }

private:
    static inline const QString kConnection = QStringLiteral("next-schema");
    QVariantList m_rows;
};

} // namespace

class TestSchemaRollback : public QObject
{
    Q_OBJECT

private:
    // A server on the database and data directory of the first one.
    std::unique_ptr<ServerProcess> laterServer()
    {
        auto server = std::make_unique<ServerProcess>();
        server->setEnv(QStringLiteral("DATA_DIR"), m_home->dataDir());
        server->setEnv(QStringLiteral("DATABASE_URL"), m_url);
        server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("0"));
        return server;
    }

    // Records one more migration, as the binary that applied it would have.
    void record(int version, const QString &name, bool additive)
    {
        DirectDatabase db(m_url);
        QCOMPARE(db.exec(QStringLiteral("INSERT INTO schema_version (version, applied_at, name, "
                                        "additive) VALUES (?, ?, ?, ?)"),
                         {version, QDateTime::currentMSecsSinceEpoch(), name, additive}),
                 QString());
    }

    std::unique_ptr<ChatTestClient> joined(ServerProcess &server, const QString &user,
                                           const QString &roles = {})
    {
        auto client = std::make_unique<ChatTestClient>();
        client->open(server.webSocketPort(), server.token(user, roles));
        if (!client->waitConnected() ||
            typeOf(client->answerTo(client->request(
                QStringLiteral("join"), {{QStringLiteral("room"), u"lobby"_qs}}))) != u"ack")
            return nullptr;
        return client;
    }

    static HttpReply http(ServerProcess &server, const QByteArray &method, const QByteArray &path,
                          const QByteArray &token, const QJsonObject &body = {})
    {
        return HttpProbe(server.httpPort())
            .request(
                method, path,
                body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
                5000, "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n");
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Today's schema, made by today's binary.
        m_home = std::make_unique<ServerProcess>();
        QVERIFY2(m_home->start(), qPrintable(m_home->diagnostics()));
        m_url = m_home->environment().value(QStringLiteral("DATABASE_URL"));
        m_home->sendSignal(SIGTERM);
        QVERIFY(m_home->waitForExit(15000));
        QCOMPARE(m_home->exitCode(), 0);
        DirectDatabase db(m_url);
        QCOMPARE(db.exec(QStringLiteral("SELECT MAX(version) FROM schema_version")), QString());
        m_latest = db.value().toInt();
        QVERIFY(m_latest >= 13);
    }

    void todaysQueriesRunOnTheNextSchema()
    {
        {
            DirectDatabase db(m_url);
            for (const QString &statement : kNextExpand)
                QCOMPARE(db.exec(statement), QString());
        }
        record(m_latest + 1, QStringLiteral("next_expand"), true);

        auto server = laterServer();
        QVERIFY2(server->start(), qPrintable(server->diagnostics()));
        const QString running =
            server->findLog(QStringLiteral("running on it")).value(u"message"_qs).toString();
        QVERIFY2(running.contains(QStringLiteral("%1 (next_expand)").arg(m_latest + 1)),
                 qPrintable(running));
        QCOMPARE(server->findLog(QStringLiteral("database ready"))
                     .value(u"fields"_qs)
                     .toObject()
                     .value(u"schema_version"_qs)
                     .toInt(),
                 m_latest + 1);

        // Chat: join, send, edit, react, history.
        auto alice = joined(*server, QStringLiteral("alice"));
        auto bob = joined(*server, QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const QJsonObject sent = alice->answerTo(alice->request(
            QStringLiteral("send"), {{QStringLiteral("room"), u"lobby"_qs},
                                     {QStringLiteral("body"), u"buy cheap watches"_qs},
                                     {QStringLiteral("client_msg_id"), u"m1"_qs}}));
        QCOMPARE(typeOf(sent), QStringLiteral("ack"));
        const qint64 messageId = sent.value(QStringLiteral("message_id")).toInteger();
        QCOMPARE(typeOf(alice->answerTo(alice->request(
                     QStringLiteral("edit"), {{QStringLiteral("room"), u"lobby"_qs},
                                              {QStringLiteral("message_id"), messageId},
                                              {QStringLiteral("body"), u"buy cheap clocks"_qs}}))),
                 QStringLiteral("ack"));
        QCOMPARE(typeOf(bob->answerTo(bob->request(QStringLiteral("react"),
                                                   {{QStringLiteral("room"), u"lobby"_qs},
                                                    {QStringLiteral("message_id"), messageId},
                                                    {QStringLiteral("emoji"), u"👀"_qs}}))),
                 QStringLiteral("ack"));
        const QJsonArray history =
            bob->answerTo(
                   bob->request(QStringLiteral("history"), {{QStringLiteral("room"), u"lobby"_qs}}))
                .value(QStringLiteral("messages"))
                .toArray();
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.at(0).toObject().value(u"body"_qs).toString(), u"buy cheap clocks"_qs);

        // Reports: filed, queued, resolved.
        const QJsonObject filed = bob->answerTo(
            bob->request(QStringLiteral("report"), {{QStringLiteral("room"), u"lobby"_qs},
                                                    {QStringLiteral("message_id"), messageId},
                                                    {QStringLiteral("reason"), u"spam"_qs}}));
        QCOMPARE(typeOf(filed), QStringLiteral("ack"));
        const qint64 reportId = filed.value(QStringLiteral("report_id")).toInteger();
        const QByteArray moderator = server->token(QStringLiteral("mod"), u"moderator"_qs);
        const QJsonArray queue = http(*server, "GET", "/api/reports?status=open", moderator)
                                     .json()
                                     .value(QStringLiteral("reports"))
                                     .toArray();
        QCOMPARE(queue.size(), 1);
        QCOMPARE(queue.at(0).toObject().value(u"body"_qs).toString(), u"buy cheap clocks"_qs);
        QCOMPARE(http(*server, "POST", "/api/reports/" + QByteArray::number(reportId) + "/resolve",
                      moderator, {{QStringLiteral("outcome"), u"dismiss"_qs}})
                     .status,
                 200);

        // Streams: created, listed, changed; a broadcast with a listener; the history; deleted.
        const QByteArray dj = server->token(QStringLiteral("dj"), u"broadcaster"_qs);
        const QByteArray key = createStream(*server, dj, QStringLiteral("next"));
        QVERIFY(!key.isEmpty());
        QVERIFY(
            http(*server, "GET", "/api/streams", dj).json().value(u"streams"_qs).toArray().size() ==
            1);
        QCOMPARE(
            http(*server, "PATCH", "/api/streams/next", dj, {{u"title"_qs, u"Next"_qs}}).status,
            200);
        {
            RawClient source(server->httpPort());
            source.send("PUT /live/next HTTP/1.1\r\nHost: x\r\nContent-Type: audio/mpeg\r\n" +
                        sourceAuth(key) + "\r\n");
            QVERIFY(source.read(5000, 1024, "\r\n\r\n").contains(" 200 "));
            QVERIFY(waitForStreamState(*server, dj, QStringLiteral("next"), u"live"_qs, 5000));
            RawClient listener(server->httpPort());
            listener.send(
                "GET /live/next HTTP/1.1\r\nHost: x\r\nUser-Agent: VezaTest/next\r\n\r\n");
            QVERIFY(listener.read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));
            source.close(); // no grace period here: the broadcast ends
            QVERIFY(listener.waitForClose(5000));
        }
        QVERIFY(waitForStreamState(*server, dj, QStringLiteral("next"), u"offline"_qs, 5000));
        QJsonArray visits;
        QTRY_VERIFY_WITH_TIMEOUT((visits = http(*server, "GET", "/api/streams/next/listeners", dj)
                                               .json()
                                               .value(u"listeners"_qs)
                                               .toArray())
                                         .size() == 1,
                                 5000);
        QCOMPARE(visits.at(0).toObject().value(u"user_agent"_qs).toString(), u"VezaTest/next"_qs);
        QCOMPARE(visits.at(0).toObject().value(u"end_reason"_qs).toString(), u"stream_ended"_qs);
        const int deleted = http(*server, "DELETE", "/api/streams/next", dj).status;
        QVERIFY2(deleted == 200 || deleted == 204, qPrintable(QString::number(deleted)));

        server->sendSignal(SIGTERM);
        QVERIFY(server->waitForExit(15000));
        QCOMPARE(server->exitCode(), 0);

        // The rows written meanwhile have the next schema's defaults.
        DirectDatabase db(m_url);
        QCOMPARE(db.exec(QStringLiteral("SELECT COUNT(*) FROM rooms WHERE archived = FALSE")),
                 QString());
        QVERIFY(db.value().toInt() >= 1);
        QCOMPARE(db.exec(QStringLiteral("SELECT end_reason FROM stream_sessions WHERE region IS "
                                        "NULL")),
                 QString());
        QCOMPARE(db.value().toString(), QStringLiteral("source_left"));
        QCOMPARE(db.exec(QStringLiteral("SELECT priority FROM reports")), QString());
        QCOMPARE(db.value().toInt(), 0);
    }

    // A migration not marked additive after those this binary knows: refused at start.
    void notAdditiveIsRefused()
    {
        record(m_latest + 2, QStringLiteral("next_contract"), false);
        auto server = laterServer();
        QVERIFY(!server->start());
        QVERIFY(server->waitForExit(10000));
        QCOMPARE(server->exitCode(), 1);
        const QString refusal =
            server->findLog(QStringLiteral("cannot start")).value(u"message"_qs).toString();
        QVERIFY2(refusal.contains(QStringLiteral("database schema version %1 is newer than this "
                                                 "binary supports (%2)")
                                      .arg(m_latest + 2)
                                      .arg(m_latest)) &&
                     refusal.contains(QStringLiteral("migration %1 (next_contract) is not additive")
                                          .arg(m_latest + 2)),
                 qPrintable(refusal));
    }

private:
    std::unique_ptr<ServerProcess> m_home; // owns the data directory (and PostgreSQL)
    QString m_url;
    int m_latest = 0;
};

QTEST_GUILESS_MAIN(TestSchemaRollback)
#include "tst_schema_rollback.moc"
