// Rotating ENCRYPTION_KEY against the real binary, as docs/encryption.md tells an operator to:
// messages and a report (whose body is sealed too) written under key 1; a server on key 2 with
// key 1 in ENCRYPTION_KEYS_PREVIOUS reads both; without key 1 the old rows say they are
// unreadable (the server keeps serving); `veza-server rekey` moves the old rows to key 2 while a
// server writes and edits, and a second run finds nothing to do; then a server on key 2 alone
// reads everything. Also registered as tst_rekey_postgresql (the same on PostgreSQL).
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "ServerProcess.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <csignal>

using namespace veza::testing;

namespace {

constexpr int kFirstKeyMessages = 120; // several batches of --batch-size 25
constexpr int kSecondKeyMessages = 5;
constexpr int kRekeyTimeoutMs = 60000;

QString randomKeyHex()
{
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    return QString::fromLatin1(key.toHex());
}

// The key id docs/encryption.md defines: SHA-256("veza-key-id" || key), first 8 bytes in hex.
QString keyIdOf(const QString &keyHex)
{
    QCryptographicHash sha256(QCryptographicHash::Sha256);
    sha256.addData("veza-key-id");
    sha256.addData(QByteArray::fromHex(keyHex.toLatin1()));
    return QString::fromLatin1(sha256.result().left(8).toHex());
}

QString typeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("type")).toString();
}

} // namespace

class TestRekey : public QObject
{
    Q_OBJECT

private:
    // A server on the shared data directory and database (the first one's) with these keys.
    bool startServer(const QString &key, const QString &previous = {})
    {
        stopServer();
        if (!m_home) {
            m_home = std::make_unique<ServerProcess>(); // owns the directory and the database
            m_server = m_home.get();
        } else {
            m_later = std::make_unique<ServerProcess>();
            m_later->setEnv(QStringLiteral("DATA_DIR"), m_home->dataDir());
            m_later->setEnv(QStringLiteral("DATABASE_URL"),
                            m_home->environment().value(QStringLiteral("DATABASE_URL")));
            m_server = m_later.get();
        }
        m_server->setEnv(QStringLiteral("ENCRYPTION_KEY"), key);
        m_server->setEnv(QStringLiteral("ENCRYPTION_KEYS_PREVIOUS"), previous);
        m_server->setEnv(QStringLiteral("MAX_MESSAGE_RATE"), QStringLiteral("100000"));
        m_server->setEnv(QStringLiteral("MESSAGE_RATE_BURST"), QStringLiteral("100000"));
        return m_server->start();
    }

    void stopServer()
    {
        if (!m_server || !m_server->isRunning())
            return;
        m_server->sendSignal(SIGTERM);
        QVERIFY(m_server->waitForExit(15000));
    }

    std::unique_ptr<ChatTestClient> joined(const QString &user, const QString &roles = {})
    {
        auto client = std::make_unique<ChatTestClient>();
        client->open(m_server->webSocketPort(), m_server->token(user, roles));
        if (!client->waitConnected() ||
            typeOf(client->answerTo(client->request(
                QStringLiteral("join"), {{QStringLiteral("room"), u"lobby"_qs}}))) != u"ack")
            return nullptr;
        return client;
    }

    // Sends them all before waiting for any answer; returns the message ids in order.
    static QList<qint64> say(ChatTestClient &client, const QStringList &bodies)
    {
        QStringList ids;
        for (const QString &body : bodies)
            ids << client.request(QStringLiteral("send"),
                                  {{QStringLiteral("room"), u"lobby"_qs},
                                   {QStringLiteral("body"), body},
                                   {QStringLiteral("client_msg_id"), body}});
        QList<qint64> messageIds;
        for (const QString &id : std::as_const(ids))
            messageIds << client.answerTo(id).value(QStringLiteral("message_id")).toInteger();
        return messageIds;
    }

    static QStringList numbered(const QString &prefix, int count)
    {
        QStringList bodies;
        for (int i = 1; i <= count; ++i)
            bodies << QStringLiteral("%1 #%2").arg(prefix).arg(i);
        return bodies;
    }

    // message_id -> the message as history gives it back.
    QHash<qint64, QJsonObject> history()
    {
        auto reader = joined(QStringLiteral("reader"));
        if (!reader)
            return {};
        const QJsonObject answer = reader->answerTo(
            reader->request(QStringLiteral("history"), {{QStringLiteral("room"), u"lobby"_qs},
                                                        {QStringLiteral("limit"), 1000}}));
        QHash<qint64, QJsonObject> messages;
        for (const QJsonValue &value : answer.value(QStringLiteral("messages")).toArray()) {
            const QJsonObject message = value.toObject();
            messages.insert(message.value(QStringLiteral("message_id")).toInteger(), message);
        }
        return messages;
    }

    // report id -> the report as the review queue gives it back.
    QHash<qint64, QJsonObject> reports()
    {
        const QByteArray token =
            m_server->token(QStringLiteral("mod"), QStringLiteral("moderator"));
        const HttpReply reply =
            HttpProbe(m_server->httpPort())
                .get("/api/reports", 5000, "Authorization: Bearer " + token + "\r\n");
        QHash<qint64, QJsonObject> byId;
        for (const QJsonValue &value : reply.json().value(QStringLiteral("reports")).toArray())
            byId.insert(value.toObject().value(QStringLiteral("id")).toInteger(), value.toObject());
        return byId;
    }

    qint64 report(ChatTestClient &client, qint64 messageId)
    {
        return client
            .answerTo(
                client.request(QStringLiteral("report"), {{QStringLiteral("room"), u"lobby"_qs},
                                                          {QStringLiteral("message_id"), messageId},
                                                          {QStringLiteral("reason"), u"spam"_qs}}))
            .value(QStringLiteral("report_id"))
            .toInteger();
    }

    ServerProcess::Run rekey(const QStringList &arguments = {})
    {
        return ServerProcess::run(QStringList{QStringLiteral("rekey")} + arguments,
                                  m_server->environment(), kRekeyTimeoutMs);
    }

    // Every message written so far, with the body it has now, reads back as written.
    void verifyAllReadable()
    {
        const QHash<qint64, QJsonObject> messages = history();
        QCOMPARE(messages.size(), m_bodies.size());
        for (auto it = m_bodies.cbegin(); it != m_bodies.cend(); ++it) {
            const QJsonObject message = messages.value(it.key());
            QCOMPARE(message.value(QStringLiteral("body")).toString(), it.value());
            QVERIFY2(!message.contains(QStringLiteral("unreadable")),
                     qPrintable(QString::number(it.key())));
        }
        const QHash<qint64, QJsonObject> queue = reports();
        QCOMPARE(queue.size(), m_reportBodies.size());
        for (auto it = m_reportBodies.cbegin(); it != m_reportBodies.cend(); ++it) {
            QCOMPARE(queue.value(it.key()).value(QStringLiteral("body")).toString(), it.value());
            QVERIFY(!queue.value(it.key()).contains(QStringLiteral("unreadable")));
        }
    }

    // Neither key, in hex or as the raw bytes' base64, appears in what the binary printed.
    void verifyNoKeyIn(const QByteArray &text)
    {
        for (const QString &key : {m_key1, m_key2}) {
            QVERIFY(!text.contains(key.toLatin1()));
            QVERIFY(!text.contains(QByteArray::fromHex(key.toLatin1()).toBase64()));
        }
    }

    void write(ChatTestClient &client, const QStringList &bodies)
    {
        const QList<qint64> ids = say(client, bodies);
        QCOMPARE(ids.size(), bodies.size());
        for (qsizetype i = 0; i < ids.size(); ++i) {
            QVERIFY(ids.at(i) > 0);
            m_bodies.insert(ids.at(i), bodies.at(i));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_key1 = randomKeyHex();
        m_key2 = randomKeyHex();
    }

    void cleanupTestCase()
    {
        stopServer();
        m_later.reset(); // before m_home, whose directory and database it uses
        m_home.reset();
    }

    void badArgumentsAreUsageErrors()
    {
        for (const QStringList &arguments :
             {QStringList{u"--batch-size"_qs, u"0"_qs}, QStringList{u"--pause-ms=-1"_qs},
              QStringList{u"--now"_qs}, QStringList{u"--batch-size"_qs}}) {
            const ServerProcess::Run run =
                ServerProcess::run(QStringList{QStringLiteral("rekey")} + arguments,
                                   QProcessEnvironment::systemEnvironment());
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains("usage: veza-server rekey") || run.err.contains("expected"),
                     run.err.constData());
        }
    }

    void malformedPreviousKeyIsNamedByPosition()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("ENCRYPTION_KEY"), m_key2);
        environment.insert(QStringLiteral("ENCRYPTION_KEYS_PREVIOUS"),
                           m_key1 + QStringLiteral(",not-a-key"));
        const ServerProcess::Run run =
            ServerProcess::run({QStringLiteral("--check-config")}, environment);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("ENCRYPTION_KEYS_PREVIOUS") && run.err.contains("key #2"),
                 run.err.constData());
        verifyNoKeyIn(QByteArray(run.out + run.err));
        QVERIFY(!run.err.contains("not-a-key"));
    }

    void writeUnderTheFirstKey()
    {
        QVERIFY2(startServer(m_key1), qPrintable(m_server->diagnostics()));
        auto alice = joined(QStringLiteral("alice"));
        auto bob = joined(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        write(*alice, numbered(QStringLiteral("first"), kFirstKeyMessages));
        const qint64 reported = m_bodies.keys().first();
        const qint64 id = report(*bob, reported);
        QVERIFY(id > 0);
        m_reportBodies.insert(id, m_bodies.value(reported));
        m_firstReport = id;
        verifyAllReadable();
    }

    void rotatedServerReadsBothKeys()
    {
        QVERIFY2(startServer(m_key2, m_key1), qPrintable(m_server->diagnostics()));
        const QJsonObject keys = m_server->findLog(QStringLiteral("encryption keys"))
                                     .value(QStringLiteral("fields"))
                                     .toObject();
        QCOMPARE(keys.value(QStringLiteral("current_key_id")).toString(), keyIdOf(m_key2));
        QCOMPARE(keys.value(QStringLiteral("previous_key_ids")).toString(), keyIdOf(m_key1));
        auto alice = joined(QStringLiteral("alice"));
        auto bob = joined(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        write(*alice, numbered(QStringLiteral("second"), kSecondKeyMessages));
        const qint64 reported = m_bodies.keys().last();
        const qint64 id = report(*bob, reported);
        QVERIFY(id > 0);
        m_reportBodies.insert(id, m_bodies.value(reported));
        verifyAllReadable();

        // Before rekey the old rows still need key 1.
        const ServerProcess::Run check = rekey({QStringLiteral("--check")});
        QCOMPARE(check.exitCode, 3);
        QVERIFY2(check.out.contains(keyIdOf(m_key1).toLatin1()), check.out.constData());
        QVERIFY2(check.out.contains("rows are under a previous key"), check.out.constData());
        verifyNoKeyIn(QByteArray(check.out + check.err + m_server->diagnostics().toUtf8()));
    }

    void withoutThePreviousKeyOldRowsAreUnreadable()
    {
        QVERIFY2(startServer(m_key2), qPrintable(m_server->diagnostics()));
        const QHash<qint64, QJsonObject> messages = history();
        QCOMPARE(messages.size(), m_bodies.size());
        int unreadable = 0;
        for (auto it = m_bodies.cbegin(); it != m_bodies.cend(); ++it) {
            const QJsonObject message = messages.value(it.key());
            if (it.value().startsWith(u"first")) {
                ++unreadable;
                QCOMPARE(message.value(QStringLiteral("unreadable")).toString(),
                         QStringLiteral("unknown_key"));
                QCOMPARE(message.value(QStringLiteral("body")).toString(), QString());
            } else {
                QCOMPARE(message.value(QStringLiteral("body")).toString(), it.value());
            }
        }
        QCOMPARE(unreadable, kFirstKeyMessages);
        const QJsonObject oldReport = reports().value(m_firstReport);
        QVERIFY(oldReport.value(QStringLiteral("body")).isNull());
        QCOMPARE(oldReport.value(QStringLiteral("unreadable")).toString(),
                 QStringLiteral("unknown_key"));
        QCOMPARE(HttpProbe::getOnce(m_server->httpPort(), "/health/live").status, 200);

        // rekey cannot move what it cannot open: it says so, and leaves the rows alone.
        const ServerProcess::Run run = rekey();
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.out.contains(QStringLiteral("messages: %1 rows sealed with key %2, which is "
                                                 "not configured")
                                      .arg(kFirstKeyMessages)
                                      .arg(keyIdOf(m_key1))
                                      .toUtf8()),
                 run.out.constData());
        QVERIFY2(
            run.out.contains(
                QStringLiteral("reports: 1 rows sealed with key %1").arg(keyIdOf(m_key1)).toUtf8()),
            run.out.constData());
        QVERIFY2(run.out.contains(QStringLiteral("%1 rows are sealed with keys that are not "
                                                 "configured")
                                      .arg(kFirstKeyMessages + 1)
                                      .toUtf8()),
                 run.out.constData());
    }

    void rekeyMovesOldRowsWhileAServerWrites()
    {
        QVERIFY2(startServer(m_key2, m_key1), qPrintable(m_server->diagnostics()));
        auto alice = joined(QStringLiteral("alice"));
        QVERIFY(alice);

        // Small, paced batches so the server's own writes land between them.
        QProcess rekeyProcess;
        rekeyProcess.setProcessEnvironment(m_server->environment());
        rekeyProcess.start(ServerProcess::binary(),
                           {QStringLiteral("rekey"), QStringLiteral("--batch-size"),
                            QStringLiteral("10"), QStringLiteral("--pause-ms"),
                            QStringLiteral("20")});
        QVERIFY(rekeyProcess.waitForStarted());
        // Once its first batch is done (its first progress line), the server writes and edits.
        QByteArray out;
        while (!out.contains("messages: ") && rekeyProcess.waitForReadyRead(kRekeyTimeoutMs))
            out += rekeyProcess.readAllStandardOutput();
        write(*alice, numbered(QStringLiteral("during"), 10));
        // An edit seals the row afresh under key 2, whichever of the two gets there first.
        const qint64 edited = m_bodies.keys().at(kFirstKeyMessages - 2);
        const QJsonObject edit = alice->answerTo(
            alice->request(QStringLiteral("edit"), {{QStringLiteral("room"), u"lobby"_qs},
                                                    {QStringLiteral("message_id"), edited},
                                                    {QStringLiteral("body"), u"edited"_qs}}));
        QCOMPARE(typeOf(edit), QStringLiteral("ack"));
        m_bodies.insert(edited, QStringLiteral("edited"));
        QVERIFY(rekeyProcess.waitForFinished(kRekeyTimeoutMs));
        out += rekeyProcess.readAllStandardOutput();
        const QByteArray err = rekeyProcess.readAllStandardError();
        QVERIFY2(rekeyProcess.exitCode() == 0, QByteArray(out + err).constData());
        // The edited row is re-encrypted by rekey or was already resealed by the server.
        static const QRegularExpression finished(
            QStringLiteral("messages: (\\d+)/(\\d+) rows done, (\\d+) re-encrypted in "));
        const QRegularExpressionMatch figures = finished.match(QString::fromUtf8(out));
        QVERIFY2(figures.hasMatch(), out.constData());
        QVERIFY(figures.captured(1).toInt() >= kFirstKeyMessages - 1);
        QVERIFY(figures.captured(3).toInt() >= kFirstKeyMessages - 1);
        QVERIFY2(out.contains("reports: 1/1 rows done, 1 re-encrypted"), out.constData());
        QVERIFY2(out.contains("rows/s"), out.constData());
        QVERIFY2(out.contains("the previous keys can be removed"), out.constData());
        verifyNoKeyIn(QByteArray(out + err));
        verifyAllReadable();

        // Idempotent: a second run finds nothing left, and --check agrees.
        const ServerProcess::Run again = rekey();
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains("messages: nothing to re-encrypt"), again.out.constData());
        QVERIFY2(again.out.contains("reports: nothing to re-encrypt"), again.out.constData());
        const ServerProcess::Run check = rekey({QStringLiteral("--check")});
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(check.out.contains("seals nothing: can be removed"), check.out.constData());
    }

    void theFirstKeyIsDroppedAndEverythingReads()
    {
        QVERIFY2(startServer(m_key2), qPrintable(m_server->diagnostics()));
        verifyAllReadable();
        auto alice = joined(QStringLiteral("alice"));
        QVERIFY(alice);
        write(*alice, {QStringLiteral("after")});
        verifyAllReadable();
    }

private:
    std::unique_ptr<ServerProcess> m_home;
    std::unique_ptr<ServerProcess> m_later;
    ServerProcess *m_server = nullptr;
    QString m_key1, m_key2;
    QMap<qint64, QString> m_bodies; // message_id -> body, for every message written
    QMap<qint64, QString> m_reportBodies;
    qint64 m_firstReport = 0;
};

QTEST_GUILESS_MAIN(TestRekey)
#include "tst_rekey.moc"
