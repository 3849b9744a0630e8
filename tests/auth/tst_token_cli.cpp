// `veza-server token` as a developer uses it: the printed token verifies with the secret the
// server itself would use (DATA_DIR/secrets/jwt_secret, or JWT_SECRET), carries the roles and
// lifetime asked for, and bad arguments are refused with exit status 2 before DATA_DIR is
// touched.
#include "auth/JwtToken.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace veza::auth;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runServer(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(qEnvironmentVariable("VEZA_SERVER_BINARY"), arguments);
    Run run;
    if (!process.waitForFinished(15000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QProcessEnvironment environmentFor(const QTemporaryDir &dir)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // An inherited secret would hide whether the development secret file is used.
    for (const char *name : {"JWT_SECRET", "JWT_SECRET_PREVIOUS", "ENCRYPTION_KEY", "ENVIRONMENT"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("DATA_DIR"), dir.path());
    environment.insert(QStringLiteral("DATABASE_URL"),
                       QStringLiteral("sqlite://%1/x.db").arg(dir.path()));
    return environment;
}

} // namespace

class TestTokenCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(qEnvironmentVariable("VEZA_SERVER_BINARY")),
                 "VEZA_SERVER_BINARY must name the veza-server binary (run through ctest)");
    }

    void printsAVerifiableToken_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("roles");
        QTest::addColumn<qint64>("ttl");
        QTest::newRow("defaults") << QStringList{"--user", "alice"} << "alice" << QString()
                                  << QStringList() << qint64(24 * 3600);
        QTest::newRow("roles and minutes")
            << QStringList{"--user", "bob", "--roles", "moderator,broadcaster", "--ttl", "90m"}
            << "bob" << QString() << QStringList{"moderator", "broadcaster"} << qint64(5400);
        QTest::newRow("equals form, days")
            << QStringList{"--user=carol", "--name=Carol C.", "--roles=admin", "--ttl=7d"}
            << "carol"
            << "Carol C." << QStringList{"admin"} << qint64(7 * 86400);
        QTest::newRow("seconds, duplicate role")
            << QStringList{"--ttl", "45s", "--user", "dan", "--roles", "listener,listener"} << "dan"
            << QString() << QStringList{"listener"} << qint64(45);
    }

    void printsAVerifiableToken()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, user);
        QFETCH(QString, name);
        QFETCH(QStringList, roles);
        QFETCH(qint64, ttl);
        QTemporaryDir dir;
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const Run run =
            runServer(QStringList{QStringLiteral("token")} + arguments, environmentFor(dir));
        const qint64 after = QDateTime::currentSecsSinceEpoch();
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.endsWith('\n') && run.out.count('\n') == 1, run.out.constData());

        QFile secretFile(QDir(dir.path()).filePath(QStringLiteral("secrets/jwt_secret")));
        QVERIFY(secretFile.open(QIODevice::ReadOnly));
        const QByteArray secret = secretFile.readAll().trimmed();
        QVERIFY(!secret.isEmpty());

        const QByteArray token = run.out.trimmed();
        const VerifyResult result =
            verifyToken(token, {secret}, QDateTime::currentDateTimeUtc(), std::chrono::seconds(0));
        QVERIFY2(result.ok(), qPrintable(tokenErrorText(result.error)));
        QCOMPARE(result.claims->subject, user);
        QCOMPARE(result.claims->name, name);
        QCOMPARE(result.claims->roles, roles);
        const qint64 issuedAt = result.claims->issuedAt.toSecsSinceEpoch();
        QVERIFY(issuedAt >= before && issuedAt <= after);
        QCOMPARE(result.claims->expiresAt.toSecsSinceEpoch() - issuedAt, ttl);
        QVERIFY(!verifyToken(token, {"not-the-secret"}, QDateTime::currentDateTimeUtc()).ok());
    }

    void signsWithConfiguredSecret()
    {
        QTemporaryDir dir;
        QProcessEnvironment environment = environmentFor(dir);
        const QByteArray secret = "configured-secret-for-the-token-test";
        environment.insert(QStringLiteral("JWT_SECRET"), QString::fromLatin1(secret));
        const Run run =
            runServer({QStringLiteral("token"), QStringLiteral("--user"), QStringLiteral("erin")},
                      environment);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(!run.err.contains(secret));
        const VerifyResult result =
            verifyToken(run.out.trimmed(), {secret}, QDateTime::currentDateTimeUtc());
        QVERIFY2(result.ok(), qPrintable(tokenErrorText(result.error)));
        QCOMPARE(result.claims->subject, QStringLiteral("erin"));
        QVERIFY(!QFile::exists(QDir(dir.path()).filePath(QStringLiteral("secrets/jwt_secret"))));
    }

    void badArgumentsExitWithStatus2_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mustContain");
        QTest::newRow("unit-less ttl") << QStringList{"--user", "a", "--ttl", "24"} << "--ttl";
        QTest::newRow("unknown ttl unit") << QStringList{"--user", "a", "--ttl", "5x"} << "--ttl";
        QTest::newRow("zero ttl") << QStringList{"--user", "a", "--ttl", "0h"} << "--ttl";
        QTest::newRow("negative ttl") << QStringList{"--user", "a", "--ttl=-1h"} << "--ttl";
        QTest::newRow("ttl over a year") << QStringList{"--user", "a", "--ttl", "400d"} << "--ttl";
        QTest::newRow("no user") << QStringList{"--roles", "admin"} << "--user";
        QTest::newRow("empty user") << QStringList{"--user", ""} << "--user";
        QTest::newRow("user without value") << QStringList{"--user"} << "--user";
        QTest::newRow("unknown role")
            << QStringList{"--user", "a", "--roles", "admin,root"} << "root";
        QTest::newRow("unknown option") << QStringList{"--user", "a", "--admin"} << "--admin";
    }

    void badArgumentsExitWithStatus2()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mustContain);
        QTemporaryDir dir;
        const Run run =
            runServer(QStringList{QStringLiteral("token")} + arguments, environmentFor(dir));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.out.isEmpty(), run.out.constData());
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY2(run.err.contains(mustContain.toUtf8()), run.err.constData());
        QVERIFY2(!QFile::exists(QDir(dir.path()).filePath(QStringLiteral("secrets"))),
                 "a usage error must not create development secrets");
    }
};

QTEST_GUILESS_MAIN(TestTokenCli)
#include "tst_token_cli.moc"
