// veza-server's command line as an operator meets it: --help, --version, --check-config, and
// a wrong environment variable refused with exit status 2 and one explanatory line.
#include "ServerProcess.h"

#include <QProcess>
#include <QTcpServer>
#include <QTest>

using veza::testing::ServerProcess;

namespace {
QProcessEnvironment baseEnvironment(const QString &dataDir)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("DATA_DIR"), dataDir);
    environment.insert(QStringLiteral("DATABASE_URL"),
                       QStringLiteral("sqlite://%1/veza.db").arg(dataDir));
    return environment;
}
} // namespace

class TestServerCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpListsEveryVariable()
    {
        const ServerProcess::Run run = ServerProcess::run({QStringLiteral("--help")},
                                                          QProcessEnvironment::systemEnvironment());
        QCOMPARE(run.exitCode, 0);
        for (const char *name : {"PORT", "WS_PORT", "DATABASE_URL", "ENCRYPTION_KEY",
                                 "SHUTDOWN_TIMEOUT_S", "CODECS_ENABLED"})
            QVERIFY2(run.out.contains(name), name);
    }

    void versionPrintsTheVersion()
    {
        const ServerProcess::Run run = ServerProcess::run({QStringLiteral("--version")},
                                                          QProcessEnvironment::systemEnvironment());
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.startsWith("veza-server "));
        QVERIFY2(run.out.contains(" (commit "), run.out.constData());
    }

    // A headless server: no Qt GUI module, even indirectly, and no windowing library of its
    // own. (Debian's FFmpeg brings libX11 and libxcb in through VA-API and VDPAU, which the
    // server never uses: those are checked among the direct dependencies only.)
    void linksNoGuiLibrary()
    {
        QProcess ldd;
        ldd.start(QStringLiteral("ldd"), {ServerProcess::binary()});
        QVERIFY(ldd.waitForFinished(10000));
        const QByteArray libraries = ldd.readAllStandardOutput();
        QVERIFY(libraries.contains("libQt6Core"));
        for (const char *gui : {"libQt6Gui", "libQt6Widgets", "libQt6OpenGL"})
            QVERIFY2(!libraries.contains(gui), gui);
        QProcess readelf;
        readelf.start(QStringLiteral("readelf"), {QStringLiteral("-d"), ServerProcess::binary()});
        QVERIFY(readelf.waitForFinished(10000));
        const QByteArray direct = readelf.readAllStandardOutput();
        QVERIFY(direct.contains("libQt6Core"));
        for (const char *gui : {"libGL", "libX11", "libxcb"})
            QVERIFY2(!direct.contains(gui), gui);
    }

    void unknownArgumentIsAUsageError()
    {
        const ServerProcess::Run run = ServerProcess::run({QStringLiteral("--frobnicate")},
                                                          QProcessEnvironment::systemEnvironment());
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--frobnicate"));
    }

    void checkConfigPrintsRedactedConfiguration()
    {
        QTemporaryDir dir;
        QProcessEnvironment environment = baseEnvironment(dir.path());
        environment.insert(QStringLiteral("JWT_SECRET"),
                           QStringLiteral("do-not-print-this-secret"));
        environment.insert(QStringLiteral("PORT"), QStringLiteral("18080"));
        const ServerProcess::Run run =
            ServerProcess::run({QStringLiteral("--check-config")}, environment);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("PORT=18080"));
        QVERIFY(run.out.contains("JWT_SECRET=<redacted, 24 bytes>"));
        QVERIFY(!run.out.contains("do-not-print-this-secret"));
        QVERIFY(!run.err.contains("do-not-print-this-secret"));
        QVERIFY2(!QFile::exists(dir.filePath(QStringLiteral("secrets"))),
                 "--check-config must not write secrets");
    }

    void badValueExitsWithStatus2_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mustContain");
        QTest::addColumn<QString>("mustNotContain");
        QTest::newRow("port out of range") << "PORT"
                                           << "70000"
                                           << "PORT=\"70000\""
                                           << "";
        QTest::newRow("non-number") << "MAX_CONNECTIONS"
                                    << "lots"
                                    << "MAX_CONNECTIONS=\"lots\""
                                    << "";
        QTest::newRow("unknown codec") << "CODECS_ENABLED"
                                       << "opus,vorbis"
                                       << "vorbis"
                                       << "";
        QTest::newRow("unparsable database url") << "DATABASE_URL"
                                                 << "postgresql://veza:pw@:notaport/db"
                                                 << "DATABASE_URL"
                                                 << "pw@";
        QTest::newRow("short encryption key") << "ENCRYPTION_KEY"
                                              << "0123456789abcdef"
                                              << "ENCRYPTION_KEY"
                                              << "0123456789abcdef";
        QTest::newRow("bad boolean") << "METRICS_ENABLED"
                                     << "sometimes"
                                     << "METRICS_ENABLED"
                                     << "";
    }

    void badValueExitsWithStatus2()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, mustContain);
        QFETCH(QString, mustNotContain);
        QTemporaryDir dir;
        QProcessEnvironment environment = baseEnvironment(dir.path());
        environment.insert(name, value);
        for (const QStringList &arguments :
             {QStringList(), QStringList{QStringLiteral("--check-config")}}) {
            const ServerProcess::Run run = ServerProcess::run(arguments, environment);
            QCOMPARE(run.exitCode, 2);
            const QString err = QString::fromUtf8(run.err).trimmed();
            QVERIFY2(!err.contains(u'\n'), qPrintable(err));
            QVERIFY2(err.contains(mustContain), qPrintable(err));
            QVERIFY2(err.contains(QStringLiteral("expected")), qPrintable(err));
            if (!mustNotContain.isEmpty())
                QVERIFY2(!err.contains(mustNotContain), qPrintable(err));
        }
    }

    void unreachableDatabaseFailsToStartWithAReason()
    {
        QTemporaryDir dir;
        QProcessEnvironment environment = baseEnvironment(dir.path());
        environment.insert(QStringLiteral("DATABASE_URL"),
                           QStringLiteral("postgresql://veza:secret-pw@127.0.0.1:1/veza"));
        environment.insert(QStringLiteral("DATABASE_TIMEOUT_MS"), QStringLiteral("2000"));
        environment.insert(QStringLiteral("PORT"), QStringLiteral("0"));
        environment.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
        environment.insert(QStringLiteral("PROMETHEUS_PORT"), QStringLiteral("0"));
        const ServerProcess::Run run = ServerProcess::run({}, environment, 30000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("cannot start: database"), run.out.constData());
        QVERIFY2(!run.out.contains("secret-pw"), "the password never reaches the log");
    }

    void portInUseFailsToStartWithAReason()
    {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost));
        QTemporaryDir dir;
        QProcessEnvironment environment = baseEnvironment(dir.path());
        environment.insert(QStringLiteral("HOST"), QStringLiteral("127.0.0.1"));
        environment.insert(QStringLiteral("PORT"), QString::number(occupant.serverPort()));
        environment.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
        environment.insert(QStringLiteral("PROMETHEUS_PORT"), QStringLiteral("0"));
        const ServerProcess::Run run = ServerProcess::run({}, environment);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("PORT: cannot bind"), run.out.constData());
    }

    void productionRefusesPlaceholderSecrets()
    {
        QTemporaryDir dir;
        QProcessEnvironment environment = baseEnvironment(dir.path());
        environment.insert(QStringLiteral("ENVIRONMENT"), QStringLiteral("production"));
        environment.insert(QStringLiteral("JWT_SECRET"),
                           QStringLiteral("your_production_jwt_secret_here"));
        environment.insert(QStringLiteral("ENCRYPTION_KEY"),
                           QStringLiteral("your_32_byte_encryption_key_here"));
        const ServerProcess::Run run = ServerProcess::run({}, environment);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("JWT_SECRET"), run.err.constData());
        QVERIFY(!run.err.contains("your_production_jwt_secret_here"));
        QVERIFY2(!QFile::exists(dir.filePath(QStringLiteral("secrets"))),
                 "production never generates secrets");
    }
};

QTEST_GUILESS_MAIN(TestServerCli)
#include "tst_server_cli.moc"
