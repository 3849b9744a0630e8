// Group commit of chat sends against the real binary, on SQLite and on PostgreSQL: sends that
// arrive while a commit is in flight share the next one (chat_commit_batch_size), each is
// acknowledged only once its row is committed (the database stalled from outside: no ack, no
// row, until it moves), message ids stay gap-free, a client_msg_id sent twice in one batch is
// stored once, and a message the database refuses fails alone.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "ServerProcess.h"
#include "SqliteWriteLock.h"
#include "support/PostgresHarness.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUuid>
#include <memory>
#include <optional>

using namespace veza::testing;

namespace {

const QString kRoom = QStringLiteral("lobby");

// The server's database seen from outside, on a connection of the test's own: reads what is
// committed, and stalls the server's writes to the room (SQLite: the write lock; PostgreSQL:
// the room's row, which every append locks) until released.
class OutsideDatabase
{
public:
    OutsideDatabase(bool postgres, const PostgresHarness &cluster, const QString &sqliteFile)
        : m_postgres(postgres)
        , m_sqliteFile(sqliteFile)
        , m_name(QStringLiteral("outside-") + QUuid::createUuid().toString(QUuid::Id128))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(
            postgres ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE"), m_name);
        if (postgres) {
            db.setHostName(QStringLiteral("127.0.0.1"));
            db.setPort(cluster.port());
            db.setUserName(QStringLiteral("veza"));
            db.setDatabaseName(QStringLiteral("veza"));
        } else {
            db.setDatabaseName(sqliteFile);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        }
        m_open = db.open();
    }

    ~OutsideDatabase()
    {
        release();
        m_sqliteLock.reset();
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }

    bool isOpen() const { return m_open; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    bool exec(const QString &statement)
    {
        QSqlQuery q(db());
        if (!q.exec(statement))
            qWarning() << statement << q.lastError().text();
        return q.isActive();
    }

    qint64 scalar(const QString &statement)
    {
        QSqlQuery q(db());
        if (!q.exec(statement) || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

    bool stall()
    {
        if (!m_postgres) {
            m_sqliteLock = std::make_unique<SqliteWriteLock>(m_sqliteFile);
            return m_sqliteLock->isHeld();
        }
        return exec(QStringLiteral("BEGIN")) &&
               exec(QStringLiteral("SELECT id FROM rooms WHERE name = 'lobby' FOR UPDATE"));
    }

    void release()
    {
        if (m_sqliteLock)
            m_sqliteLock->release();
        else if (m_postgres && m_open)
            exec(QStringLiteral("COMMIT"));
    }

    qint64 storedMessages() { return scalar(QStringLiteral("SELECT COUNT(*) FROM messages")); }

private:
    bool m_postgres;
    QString m_sqliteFile;
    QString m_name;
    bool m_open = false;
    std::unique_ptr<SqliteWriteLock> m_sqliteLock;
};

QString sendTo(ChatTestClient &client, const QString &clientMsgId)
{
    return client.request(
        QStringLiteral("send"),
        {{QStringLiteral("room"), kRoom},
         {QStringLiteral("body"), QString(QStringLiteral("hello ") + clientMsgId)},
         {QStringLiteral("client_msg_id"), clientMsgId}});
}

int answersIn(const ChatTestClient &client)
{
    return client.countOf(QStringLiteral("ack")) + client.countOf(QStringLiteral("error"));
}

// A server on one backend with alice in the room, and its database seen from outside.
struct Scene
{
    PostgresHarness cluster;
    ServerProcess server;
    std::unique_ptr<ChatTestClient> alice;
    std::unique_ptr<OutsideDatabase> outside;

    // Commits of chat sends so far, and the sends they answered.
    QPair<double, double> commits()
    {
        return {scrapeMetric(server.metricsPort(), "chat_commit_batch_size_count"),
                scrapeMetric(server.metricsPort(), "chat_commit_batch_size_sum")};
    }
};

} // namespace

class TestGroupCommit : public QObject
{
    Q_OBJECT

private:
    // A server on the row's backend (DATABASE_TIMEOUT_MS long enough to wait out a stall).
    bool startServer(ServerProcess &server, PostgresHarness &cluster, bool postgres)
    {
        server.setEnv(QStringLiteral("DATABASE_TIMEOUT_MS"), QStringLiteral("30000"));
        if (postgres) {
            if (!cluster.start()) {
                qWarning() << cluster.errorString();
                return false;
            }
            server.setEnv(QStringLiteral("DATABASE_URL"), cluster.url());
        }
        return server.start();
    }

    std::unique_ptr<ChatTestClient> joined(ServerProcess &server, const QString &user)
    {
        auto client = std::make_unique<ChatTestClient>();
        client->open(server.webSocketPort(), server.token(user));
        if (!client->waitConnected())
            return nullptr;
        const QJsonObject join =
            client->answerTo(client->request(QStringLiteral("join"), {{u"room"_qs, kRoom}}));
        if (join.value(u"type").toString() != u"ack")
            return nullptr;
        return client;
    }

    // The scene on the row's backend; nullptr (with a warning) when it could not be set up.
    std::unique_ptr<Scene> scene(bool postgres)
    {
        auto scene = std::make_unique<Scene>();
        if (!startServer(scene->server, scene->cluster, postgres)) {
            qWarning().noquote() << scene->server.diagnostics();
            return nullptr;
        }
        scene->alice = joined(scene->server, QStringLiteral("alice"));
        scene->outside = std::make_unique<OutsideDatabase>(
            postgres, scene->cluster, scene->server.dataDir() + QStringLiteral("/veza.db"));
        if (!scene->alice || !scene->outside->isOpen())
            return nullptr;
        return scene;
    }

    static void backends()
    {
        QTest::addColumn<bool>("postgres");
        QTest::newRow("sqlite") << false;
        QTest::newRow("postgresql") << true;
    }

private Q_SLOTS:
    // Many senders at once into one room: every send acknowledged with its own id, the ids
    // exactly 1..N, and fewer commits than messages.
    void concurrentSendsShareCommits_data() { backends(); }
    void concurrentSendsShareCommits()
    {
        QFETCH(bool, postgres);
        PostgresHarness cluster;
        ServerProcess server;
        QVERIFY2(startServer(server, cluster, postgres), qPrintable(server.diagnostics()));
        constexpr int kClients = 4;
        constexpr int kEach = 25;
        std::vector<std::unique_ptr<ChatTestClient>> clients;
        for (int c = 0; c < kClients; ++c) {
            clients.push_back(joined(server, QStringLiteral("user%1").arg(c)));
            QVERIFY(clients.back());
        }
        QList<QPair<int, QString>> sent;
        for (int i = 0; i < kEach; ++i) {
            for (int c = 0; c < kClients; ++c)
                sent.append({c, sendTo(*clients[std::size_t(c)], QStringLiteral("m%1").arg(i))});
        }
        QSet<qint64> ids;
        for (const auto &[c, id] : sent) {
            const QJsonObject ack = clients[std::size_t(c)]->answerTo(id, 15000);
            QCOMPARE(ack.value(u"type").toString(), QStringLiteral("ack"));
            QCOMPARE(ack.value(u"duplicate").toBool(), false);
            ids.insert(ack.value(u"message_id").toInteger());
        }
        QSet<qint64> expected;
        for (qint64 seq = 1; seq <= kClients * kEach; ++seq)
            expected.insert(seq);
        QCOMPARE(ids, expected);
        const double commits = scrapeMetric(server.metricsPort(), "chat_commit_batch_size_count");
        QCOMPARE(scrapeMetric(server.metricsPort(), "chat_commit_batch_size_sum"),
                 double(kClients * kEach));
        QVERIFY2(
            commits >= 1 && commits < kClients * kEach,
            qPrintable(
                QStringLiteral("%1 commits for %2 messages").arg(commits).arg(kClients * kEach)));
    }

    // The database stalled from outside with one send in its transaction: the sends that follow
    // wait, and neither an ack nor a row appears until the database moves; then all are
    // acknowledged, in order, from one more commit.
    void noAckBeforeItsCommit_data() { backends(); }
    void noAckBeforeItsCommit()
    {
        QFETCH(bool, postgres);
        auto scene = this->scene(postgres);
        QVERIFY(scene);
        ChatTestClient *alice = scene->alice.get();
        OutsideDatabase &outside = *scene->outside;
        QVERIFY(outside.stall());

        const int answeredBefore = answersIn(*alice); // the join
        QStringList ids{sendTo(*alice, QStringLiteral("first"))};
        QTest::qWait(300); // in its transaction, waiting for the database
        for (int i = 2; i <= 20; ++i)
            ids.append(sendTo(*alice, QStringLiteral("m%1").arg(i)));
        QTest::qWait(1500);
        QCOMPARE(answersIn(*alice), answeredBefore);
        QCOMPARE(outside.storedMessages(), 0);

        outside.release();
        for (int i = 0; i < ids.size(); ++i) {
            const QJsonObject ack = alice->answerTo(ids[i], 15000);
            QCOMPARE(ack.value(u"type").toString(), QStringLiteral("ack"));
            QCOMPARE(ack.value(u"message_id").toInteger(), i + 1);
        }
        QCOMPARE(outside.storedMessages(), 20);
        QCOMPARE(scene->commits(), qMakePair(2.0, 20.0));
    }

    // The same client_msg_id twice in one batch (a client retrying before its first answer):
    // stored once, the second answered as the duplicate with the same id, delivered once.
    void duplicateWithinABatch_data() { backends(); }
    void duplicateWithinABatch()
    {
        QFETCH(bool, postgres);
        auto scene = this->scene(postgres);
        QVERIFY(scene);
        ChatTestClient *alice = scene->alice.get();
        OutsideDatabase &outside = *scene->outside;
        auto bob = joined(scene->server, QStringLiteral("bob"));
        QVERIFY(bob);
        QVERIFY(outside.stall());

        const QString first = sendTo(*alice, QStringLiteral("first"));
        QTest::qWait(300);
        const QString once = sendTo(*alice, QStringLiteral("twice"));
        const QString again = sendTo(*alice, QStringLiteral("twice"));
        const QString other = sendTo(*alice, QStringLiteral("other"));
        QTest::qWait(500);
        outside.release();

        QCOMPARE(alice->answerTo(first, 15000).value(u"message_id").toInteger(), 1);
        const QJsonObject stored = alice->answerTo(once, 15000);
        const QJsonObject duplicate = alice->answerTo(again, 15000);
        QCOMPARE(stored.value(u"message_id").toInteger(), 2);
        QCOMPARE(stored.value(u"duplicate").toBool(), false);
        QCOMPARE(duplicate.value(u"type").toString(), QStringLiteral("ack"));
        QCOMPARE(duplicate.value(u"message_id").toInteger(), 2);
        QCOMPARE(duplicate.value(u"duplicate").toBool(), true);
        QCOMPARE(alice->answerTo(other, 15000).value(u"message_id").toInteger(), 3);
        QCOMPARE(outside.storedMessages(), 3);
        QCOMPARE(outside.scalar(QStringLiteral("SELECT last_seq FROM rooms WHERE name = 'lobby'")),
                 3);
        QTRY_COMPARE(bob->countOf(QStringLiteral("message")), 3);
        QTest::qWait(200);
        QCOMPARE(bob->countOf(QStringLiteral("message")), 3);
        QCOMPARE(scene->commits(), qMakePair(2.0, 4.0));
    }

    // A message the database refuses (a trigger, standing for any constraint) among others of
    // its batch: it alone is answered `internal`; the others are stored and acknowledged, with
    // gap-free ids, in the same commit.
    void aRefusedMessageFailsAlone_data() { backends(); }
    void aRefusedMessageFailsAlone()
    {
        QFETCH(bool, postgres);
        auto scene = this->scene(postgres);
        QVERIFY(scene);
        ChatTestClient *alice = scene->alice.get();
        OutsideDatabase &outside = *scene->outside;
        if (postgres) {
            QVERIFY(outside.exec(QStringLiteral(
                "CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF "
                "NEW.client_msg_id = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF; RETURN "
                "NEW; END $$")));
            QVERIFY(outside.exec(QStringLiteral("CREATE TRIGGER refuse_boom BEFORE INSERT ON "
                                                "messages FOR EACH ROW EXECUTE FUNCTION "
                                                "refuse_boom()")));
        } else {
            QVERIFY(outside.exec(QStringLiteral(
                "CREATE TRIGGER refuse_boom BEFORE INSERT ON messages WHEN NEW.client_msg_id = "
                "'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END")));
        }
        QVERIFY(outside.stall());
        const QString first = sendTo(*alice, QStringLiteral("first"));
        QTest::qWait(300);
        const QString before = sendTo(*alice, QStringLiteral("before"));
        const QString boom = sendTo(*alice, QStringLiteral("boom"));
        const QString after = sendTo(*alice, QStringLiteral("after"));
        QTest::qWait(500);
        outside.release();

        QCOMPARE(alice->answerTo(first, 15000).value(u"message_id").toInteger(), 1);
        QCOMPARE(alice->answerTo(before, 15000).value(u"message_id").toInteger(), 2);
        const QJsonObject refused = alice->answerTo(boom, 15000);
        QCOMPARE(refused.value(u"type").toString(), QStringLiteral("error"));
        QCOMPARE(refused.value(u"code").toString(), QStringLiteral("internal"));
        QCOMPARE(alice->answerTo(after, 15000).value(u"message_id").toInteger(), 3);
        QCOMPARE(outside.storedMessages(), 3);
        QCOMPARE(scene->commits(), qMakePair(2.0, 4.0));
    }
};

QTEST_MAIN(TestGroupCommit)
#include "tst_group_commit.moc"
