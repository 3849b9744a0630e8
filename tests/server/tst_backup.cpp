// `veza-server backup` against the real binary, as docs/operations.md ("Backup and restore")
// tells an operator to use it: real chat clients keep sending while the backup runs; the copy
// passes PRAGMA integrity_check; restored into a fresh data directory with the key material
// the backup's output points to, a new server gives back, over /chat, every message
// acknowledged before the backup began. Also: a folder as DEST, PostgreSQL refused with the
// way to go instead, the live database refused as DEST, and a backup that cannot write (no such
// folder, a file in the way, the file size limit reached halfway) leaves no file behind.
#include "ChatTestClient.h"
#include "ChatWriters.h"
#include "ServerProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <csignal>

using namespace veza::testing;

namespace {

constexpr int kBackupTimeoutMs = 60000;
constexpr int kMessagesBeforeBackup = 3000; // about 6 MB of sealed bodies, some in the WAL
constexpr int kHistoryPage = 1000;          // MESSAGE_HISTORY_LIMIT's default

// PRAGMA integrity_check on a file, from a connection of the test's own.
QString integrityOf(const QString &file)
{
    const QString name = QUuid::createUuid().toString(QUuid::Id128);
    QString verdict;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(db);
            QStringList rows;
            if (query.exec(QStringLiteral("PRAGMA integrity_check"))) {
                while (query.next())
                    rows << query.value(0).toString();
            }
            verdict = rows.join(u"; ");
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return verdict;
}

// Creates a small SQLite database at `file` (yesterday's backup); returns its bytes.
QByteArray smallDatabase(const QString &file)
{
    const QString name = QUuid::createUuid().toString(QUuid::Id128);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery query(db);
            (void)query.exec(QStringLiteral("CREATE TABLE yesterday (note TEXT)"));
            (void)query.exec(QStringLiteral("INSERT INTO yesterday VALUES ('a good backup')"));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    QFile written(file);
    return written.open(QIODevice::ReadOnly) ? written.readAll() : QByteArray();
}

// The files a folder holds, sorted.
QStringList filesIn(const QString &folder)
{
    return QDir(folder).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

QString capture(const QByteArray &text, const QString &pattern)
{
    return QRegularExpression(pattern).match(QString::fromUtf8(text)).captured(1);
}

} // namespace

class TestBackup : public QObject
{
    Q_OBJECT

private:
    // `veza-server backup ARGUMENTS` with the server's configuration, run while this thread's
    // event loop (and so the chat load) keeps going.
    ServerProcess::Run backupWhileServing(const ServerProcess &server, const QStringList &arguments)
    {
        QProcess process;
        process.setProcessEnvironment(server.environment());
        process.start(ServerProcess::binary(), QStringList{QStringLiteral("backup")} + arguments);
        ServerProcess::Run run;
        if (!process.waitForStarted(10000))
            return run;
        (void)QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; },
                              kBackupTimeoutMs);
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
            return run;
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    // Every message of `room` the server gives back over /chat, paged with history: id -> body.
    // Messages that read back unreadable are kept with an empty body.
    static QHash<qint64, QString> history(ServerProcess &server, const QString &room)
    {
        ChatTestClient reader;
        reader.open(server.webSocketPort(), server.token(QStringLiteral("reader")));
        QHash<qint64, QString> messages;
        if (!reader.waitConnected() ||
            reader.answerTo(
                      reader.request(QStringLiteral("join"), {{QStringLiteral("room"), room}}))
                    .value(QStringLiteral("type"))
                    .toString() != u"ack")
            return messages;
        qint64 before = 0;
        for (;;) {
            QJsonObject request{{QStringLiteral("room"), room},
                                {QStringLiteral("limit"), kHistoryPage}};
            if (before > 0)
                request.insert(QStringLiteral("before"), before);
            const QJsonArray page =
                reader.answerTo(reader.request(QStringLiteral("history"), request), 15000)
                    .value(QStringLiteral("messages"))
                    .toArray();
            if (page.isEmpty())
                return messages;
            for (const QJsonValue &value : page) {
                const QJsonObject message = value.toObject();
                const qint64 id = message.value(QStringLiteral("message_id")).toInteger();
                messages.insert(id, message.contains(QStringLiteral("unreadable"))
                                        ? QString()
                                        : message.value(QStringLiteral("body")).toString());
                before = before == 0 ? id : std::min(before, id);
            }
        }
    }

    static void configure(ServerProcess &server)
    {
        // The writers send as fast as the server acknowledges.
        server.setEnv(QStringLiteral("MAX_MESSAGE_RATE"), QStringLiteral("100000"));
        server.setEnv(QStringLiteral("MESSAGE_RATE_BURST"), QStringLiteral("100000"));
    }

    // A server with some messages written, for the backups expected to fail.
    ServerProcess &smallServer()
    {
        if (m_small)
            return *m_small;
        m_small = std::make_unique<ServerProcess>();
        configure(*m_small);
        if (!m_small->start())
            return *m_small;
        ChatWriters writers({.clients = 1, .window = 16, .bodyBytes = 2000});
        if (writers.connect(*m_small)) {
            writers.start();
            (void)QTest::qWaitFor([&] { return writers.acknowledgedCount() >= 300; }, 30000);
            writers.stop();
        }
        return *m_small;
    }

    std::unique_ptr<ServerProcess> m_small;

private slots:
    void restoresEveryMessageAcknowledgedBeforeTheBackup()
    {
        ServerProcess live;
        configure(live);
        QVERIFY2(live.start(), qPrintable(live.diagnostics()));
        ChatWriters writers({});
        QVERIFY2(writers.connect(live), qPrintable(writers.errors().join(u'\n')));
        writers.start();
        QVERIFY2(QTest::qWaitFor(
                     [&] { return writers.acknowledgedCount() >= kMessagesBeforeBackup; }, 60000),
                 qPrintable(QStringLiteral("%1 acknowledged").arg(writers.acknowledgedCount())));

        // Taken with no event processed in between: each of these acks reached the client
        // before the backup process existed.
        const QHash<QString, QHash<qint64, QString>> before = writers.acknowledged();
        const qsizetype countBefore = writers.acknowledgedCount();
        QTemporaryDir backups;
        const QString dest = backups.filePath(QStringLiteral("veza-backup.db"));
        const ServerProcess::Run backup = backupWhileServing(live, {dest});
        const qsizetype duringBackup = writers.acknowledgedCount() - countBefore;
        QVERIFY(writers.stop());
        QVERIFY2(writers.errors().isEmpty(), qPrintable(writers.errors().join(u'\n')));
        qInfo("%lld messages acknowledged before the backup, %lld while it ran; it printed:\n%s",
              qlonglong(countBefore), qlonglong(duringBackup), backup.out.constData());
        QVERIFY2(backup.exitCode == 0, backup.err.constData());
        QVERIFY(duringBackup > 0); // the load went on

        // One complete, checked file; nothing left beside it.
        QCOMPARE(filesIn(backups.path()), QStringList{QStringLiteral("veza-backup.db")});
        QVERIFY(backup.out.contains("PRAGMA integrity_check: ok"));
        QCOMPARE(integrityOf(dest), u"ok"_qs);

        // The reminder says where the keys are; the restore takes them from there.
        const QString encryptionKey =
            capture(backup.out, QStringLiteral("ENCRYPTION_KEY: in (\\S+) \\(development"));
        const QString jwtSecret =
            capture(backup.out, QStringLiteral("JWT_SECRET: in (\\S+) \\(development"));
        QCOMPARE(encryptionKey, QDir(live.dataDir()).filePath(u"secrets/encryption_key"_qs));
        QCOMPARE(jwtSecret, QDir(live.dataDir()).filePath(u"secrets/jwt_secret"_qs));
        live.sendSignal(SIGTERM);
        QVERIFY(live.waitForExit(15000));

        // The restore drill: a fresh DATA_DIR with the keys in secrets/ and the backup as the
        // database DATABASE_URL names.
        ServerProcess restored;
        QVERIFY(QDir(restored.dataDir()).mkpath(u"secrets"_qs));
        QVERIFY(QFile::copy(encryptionKey, restored.dataDir() + u"/secrets/encryption_key"));
        QVERIFY(QFile::copy(jwtSecret, restored.dataDir() + u"/secrets/jwt_secret"));
        QVERIFY(QFile::copy(dest, restored.dataDir() + u"/veza.db"));
        QVERIFY2(restored.start(), qPrintable(restored.diagnostics()));
        qsizetype found = 0;
        for (auto room = before.cbegin(); room != before.cend(); ++room) {
            const QHash<qint64, QString> messages = history(restored, room.key());
            QVERIFY2(messages.size() >= room.value().size(),
                     qPrintable(QStringLiteral("%1: %2 messages restored, %3 acknowledged before "
                                               "the backup")
                                    .arg(room.key())
                                    .arg(messages.size())
                                    .arg(room.value().size())));
            for (auto message = room.value().cbegin(); message != room.value().cend(); ++message) {
                QVERIFY2(messages.contains(message.key()),
                         qPrintable(QStringLiteral("%1: message %2 acknowledged before the backup "
                                                   "is missing")
                                        .arg(room.key())
                                        .arg(message.key())));
                QCOMPARE(messages.value(message.key()), message.value());
                ++found;
            }
        }
        QCOMPARE(found, countBefore);
    }

    void backsUpIntoAFolder()
    {
        ServerProcess &server = smallServer();
        QVERIFY2(server.isRunning(), qPrintable(server.diagnostics()));
        QTemporaryDir folder;
        const ServerProcess::Run backup = backupWhileServing(server, {folder.path()});
        QVERIFY2(backup.exitCode == 0, backup.err.constData());
        const QStringList files = filesIn(folder.path());
        QCOMPARE(files.size(), 1);
        QVERIFY2(QRegularExpression(QStringLiteral("^veza-\\d{8}T\\d{6}Z\\.db$"))
                     .match(files.first())
                     .hasMatch(),
                 qPrintable(files.first()));
        QVERIFY(backup.out.contains(folder.filePath(files.first()).toUtf8()));
        QCOMPARE(integrityOf(folder.filePath(files.first())), u"ok"_qs);
    }

    void refusesPostgresql()
    {
        QTemporaryDir folder;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("DATA_DIR"), folder.path());
        environment.insert(QStringLiteral("DATABASE_URL"),
                           QStringLiteral("postgresql://veza:s3cret@127.0.0.1:5432/veza"));
        const QString dest = folder.filePath(QStringLiteral("veza.db"));
        const ServerProcess::Run run =
            ServerProcess::run({QStringLiteral("backup"), dest}, environment);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("pg_basebackup") && run.err.contains("WAL archiving") &&
                     run.err.contains("docs/operations.md"),
                 run.err.constData());
        QVERIFY(!run.err.contains("s3cret"));
        QVERIFY(filesIn(folder.path()).isEmpty()); // not even the development secrets
    }

    void refusesTheLiveDatabase()
    {
        ServerProcess &server = smallServer();
        QVERIFY2(server.isRunning(), qPrintable(server.diagnostics()));
        const QString live = server.dataDir() + u"/veza.db";
        for (const QString &dest : {live, QString(live + u"-wal")}) {
            const ServerProcess::Run run = backupWhileServing(server, {dest});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains("live database's own file"), run.err.constData());
        }
        QCOMPARE(integrityOf(live), u"ok"_qs);
        QVERIFY(!QFile::exists(live + u".tmp"));
    }

    void failedBackupLeavesNothing_data()
    {
        QTest::addColumn<QString>("dest");          // under the test's folder
        QTest::addColumn<int>("fileSizeLimitKiB");  // 0: none
        QTest::addColumn<bool>("killed");           // SIGXFSZ kills it when it passes the limit
        QTest::addColumn<QString>("expectedError"); // in what it prints on stderr
        QTest::newRow("no such folder")
            << u"missing/veza.db"_qs << 0 << false << u"cannot create"_qs;
        QTest::newRow("a file where the folder should be")
            << u"plain-file/veza.db"_qs << 0 << false << u"cannot create"_qs;
        // The disk fills up halfway through the copy, as the file size limit makes it do (for
        // root too): the temporary file is removed, nothing is renamed into place, a previous
        // backup at DEST stays as it was. The small server's database holds about 600 kB.
        QTest::newRow("write fails halfway")
            << u"veza.db"_qs << 128 << false << u"File too large"_qs;
        QTest::newRow("write fails halfway over yesterday's backup")
            << u"previous-backup.db"_qs << 128 << false << u"File too large"_qs;
        // Killed halfway (SIGXFSZ's default action): only DEST.tmp and its journal are left,
        // which the next run replaces; yesterday's backup at DEST is whole, by itself (no
        // journal beside it to roll back first).
        QTest::newRow("killed halfway over yesterday's backup")
            << u"previous-backup.db"_qs << 128 << true << QString();
    }

    void failedBackupLeavesNothing()
    {
        QFETCH(QString, dest);
        QFETCH(int, fileSizeLimitKiB);
        QFETCH(bool, killed);
        QFETCH(QString, expectedError);
        ServerProcess &server = smallServer();
        QVERIFY2(server.isRunning(), qPrintable(server.diagnostics()));
        QTemporaryDir folder;
        QFile plainFile(folder.filePath(u"plain-file"_qs));
        QVERIFY(plainFile.open(QIODevice::WriteOnly));
        plainFile.close();
        const QByteArray previousBackup = smallDatabase(folder.filePath(u"previous-backup.db"_qs));
        QVERIFY(!previousBackup.isEmpty());
        const QStringList filesBefore = filesIn(folder.path());

        QStringList arguments{QStringLiteral("backup"), folder.filePath(dest)};
        QString program = ServerProcess::binary();
        if (fileSizeLimitKiB > 0) {
            // With SIGXFSZ ignored, write() fails with EFBIG as it would with ENOSPC.
            arguments = QStringList{QStringLiteral("-c"),
                                    QStringLiteral("%1 ulimit -f %2; exec \"$0\" \"$@\"")
                                        .arg(killed ? u""_qs : u"trap '' XFSZ;"_qs)
                                        .arg(fileSizeLimitKiB * 2), // 512-byte blocks
                                    program} +
                        arguments;
            program = QStringLiteral("/bin/sh");
        }
        QProcess process;
        process.setProcessEnvironment(server.environment());
        process.start(program, arguments);
        QVERIFY(process.waitForFinished(kBackupTimeoutMs));
        const QByteArray err = process.readAllStandardError();
        QStringList expectedFiles = filesBefore;
        if (killed) {
            QCOMPARE(process.exitStatus(), QProcess::CrashExit);
            expectedFiles << dest + u".tmp" << dest + u".tmp-journal";
            expectedFiles.sort();
        } else {
            QCOMPARE(process.exitStatus(), QProcess::NormalExit);
            QCOMPARE(process.exitCode(), 1);
            QVERIFY2(err.contains(expectedError.toUtf8()), err.constData());
        }
        QCOMPARE(filesIn(folder.path()), expectedFiles);
        QFile previous(folder.filePath(u"previous-backup.db"_qs));
        QVERIFY(previous.open(QIODevice::ReadOnly));
        QVERIFY(previous.readAll() == previousBackup);
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
