// Unit tests for DatabaseUrl::parse/redacted, Migrator::splitStatements and the migrations'
// additive markers.
#include "storage/DatabaseUrl.h"
#include "storage/Migrator.h"

#include <QDir>
#include <QtTest>

using veza::storage::DatabaseUrl;
using veza::storage::Migrator;

class TestDatabaseUrl : public QObject
{
    Q_OBJECT

private slots:
    void parseGood_data();
    void parseGood();
    void parseBad_data();
    void parseBad();
    void redactedHidesPassword();
    void splitStatements();
    void additiveMarker_data();
    void additiveMarker();
    void compiledMigrations();
};

void TestDatabaseUrl::parseGood_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("sqlite");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("options");

    const QString cwd = QDir::currentPath();
    QTest::newRow("sqlite absolute")
        << "sqlite:///var/lib/veza/veza.db" << true << "/var/lib/veza/veza.db"
        << "" << 0 << ""
        << ""
        << ""
        << "";
    QTest::newRow("sqlite relative") << "sqlite://data/veza.db" << true << cwd + "/data/veza.db"
                                     << "" << 0 << ""
                                     << ""
                                     << ""
                                     << "";
    QTest::newRow("sqlite memory") << "sqlite::memory:" << true << ":memory:"
                                   << "" << 0 << ""
                                   << ""
                                   << ""
                                   << "";
    QTest::newRow("postgresql full")
        << "postgresql://veza:secret@db.example:6543/veza" << false << ""
        << "db.example" << 6543 << "veza"
        << "secret"
        << "veza"
        << "";
    QTest::newRow("postgres scheme, default port") << "postgres://u:p@localhost/app" << false << ""
                                                   << "localhost" << 5432 << "u"
                                                   << "p"
                                                   << "app"
                                                   << "";
    QTest::newRow("percent-decoded credentials")
        << "postgresql://us%40er:p%3Aa%2Fss%25@10.0.0.1/app" << false << ""
        << "10.0.0.1" << 5432 << "us@er"
        << "p:a/ss%"
        << "app"
        << "";
    QTest::newRow("sslmode kept") << "postgresql://u:p@h:5432/app?sslmode=require" << false << ""
                                  << "h" << 5432 << "u"
                                  << "p"
                                  << "app"
                                  << "sslmode=require";
    QTest::newRow("two options") << "postgresql://u@h/app?sslmode=verify-full&application_name=veza"
                                 << false << ""
                                 << "h" << 5432 << "u"
                                 << ""
                                 << "app"
                                 << "sslmode=verify-full;application_name=veza";
    QTest::newRow("ipv6 host") << "postgresql://u:p@[::1]:5433/app" << false << ""
                               << "::1" << 5433 << "u"
                               << "p"
                               << "app"
                               << "";
    QTest::newRow("surrounding spaces") << "  sqlite:///tmp/x.db " << true << "/tmp/x.db"
                                        << "" << 0 << ""
                                        << ""
                                        << ""
                                        << "";
}

void TestDatabaseUrl::parseGood()
{
    QFETCH(QString, url);
    QFETCH(bool, sqlite);
    QString error;
    const auto parsed = DatabaseUrl::parse(url, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->isSqlite(), sqlite);
    if (sqlite) {
        QFETCH(QString, path);
        QCOMPARE(parsed->sqlitePath(), path);
        QCOMPARE(parsed->driverName(), QStringLiteral("QSQLITE"));
        return;
    }
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, database);
    QFETCH(QString, options);
    QCOMPARE(parsed->driverName(), QStringLiteral("QPSQL"));
    QCOMPARE(parsed->host(), host);
    QCOMPARE(parsed->port(), port);
    QCOMPARE(parsed->userName(), user);
    QCOMPARE(parsed->password(), password);
    QCOMPARE(parsed->databaseName(), database);
    QCOMPARE(parsed->connectOptions(), options);
}

void TestDatabaseUrl::parseBad_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("reason"); // a word the error must contain

    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("blank") << "   "
                           << "empty";
    QTest::newRow("mysql") << "mysql://u:p@h/db"
                           << "unsupported";
    QTest::newRow("no scheme") << "/var/lib/veza.db"
                               << "unsupported";
    QTest::newRow("sqlite without slashes") << "sqlite:veza.db"
                                            << "sqlite://";
    QTest::newRow("sqlite no path") << "sqlite://"
                                    << "path";
    QTest::newRow("sqlite root only") << "sqlite:///"
                                      << "path";
    QTest::newRow("sqlite directory") << "sqlite:///var/lib/"
                                      << "directory";
    QTest::newRow("sqlite query") << "sqlite:///x.db?mode=ro"
                                  << "query";
    QTest::newRow("pg no host") << "postgresql:///veza"
                                << "host";
    QTest::newRow("pg no database") << "postgresql://u:p@h:5432"
                                    << "database";
    QTest::newRow("pg empty database") << "postgresql://u:p@h:5432/"
                                       << "database";
    QTest::newRow("pg nested path") << "postgresql://u:p@h/a/b"
                                    << "database";
    QTest::newRow("pg bad port") << "postgresql://u:p@h:99999/db"
                                 << "expected";
    QTest::newRow("pg port not a number") << "postgresql://u:p@h:abc/db"
                                          << "expected";
    QTest::newRow("pg option injection") << "postgresql://u@h/db?options=x%3Bsslmode%3Ddisable"
                                         << "option";
    QTest::newRow("pg option with quote") << "postgresql://u@h/db?sslmode=a'b"
                                          << "option";
}

void TestDatabaseUrl::parseBad()
{
    QFETCH(QString, url);
    QFETCH(QString, reason);
    QString error;
    const auto parsed = DatabaseUrl::parse(url, &error);
    QVERIFY2(!parsed, qPrintable(url));
    QVERIFY2(error.contains(reason, Qt::CaseInsensitive), qPrintable(error));
    // Every error also says which forms are accepted.
    QVERIFY2(error.contains(QStringLiteral("expected")), qPrintable(error));
}

void TestDatabaseUrl::redactedHidesPassword()
{
    const auto url = DatabaseUrl::parse(QStringLiteral("postgresql://veza:t0p%40secret@h:5433/db"
                                                       "?sslmode=require"));
    QVERIFY(url);
    const QString redacted = url->redacted();
    QVERIFY2(!redacted.contains(QStringLiteral("t0p")), qPrintable(redacted));
    QVERIFY2(!redacted.contains(QStringLiteral("secret")), qPrintable(redacted));
    QCOMPARE(redacted, QStringLiteral("postgresql://veza:***@h:5433/db?sslmode=require"));
    const auto sqlite = DatabaseUrl::parse(QStringLiteral("sqlite:///tmp/v.db"));
    QCOMPARE(sqlite->redacted(), QStringLiteral("sqlite:///tmp/v.db"));
}

void TestDatabaseUrl::splitStatements()
{
    const QString sql = QStringLiteral("-- header comment\n"
                                       "CREATE TABLE a (\n"
                                       "    x INTEGER, -- not a terminator\n"
                                       "    y TEXT DEFAULT 'a;b'\n"
                                       ");\n"
                                       "\n"
                                       "  -- indented comment\n"
                                       "CREATE INDEX i ON a (x);\n"
                                       "INSERT INTO a (x) VALUES (1)\n");
    const QStringList statements = Migrator::splitStatements(sql);
    QCOMPARE(statements.size(), 3);
    QVERIFY(statements[0].startsWith(QStringLiteral("CREATE TABLE a (")));
    QVERIFY(statements[0].endsWith(QStringLiteral(")")));
    QVERIFY(statements[0].contains(QStringLiteral("'a;b'")));
    QCOMPARE(statements[1], QStringLiteral("CREATE INDEX i ON a (x)"));
    QCOMPARE(statements[2], QStringLiteral("INSERT INTO a (x) VALUES (1)"));
}

void TestDatabaseUrl::additiveMarker_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("expected"); // 1 additive, 0 not, -1 no marker
    QTest::newRow("additive") << u"-- veza:additive\n-- Veza schema 9\nCREATE TABLE a (x INT);"_qs
                              << 1;
    QTest::newRow("not additive, after comments")
        << u"-- Veza schema 4\n\n-- veza:not-additive\nALTER TABLE a RENAME TO b;"_qs << 0;
    QTest::newRow("spaces") << u"  --   veza:  additive  \nSELECT 1;"_qs << 1;
    QTest::newRow("after the first statement")
        << u"CREATE TABLE a (x INT);\n-- veza:additive\n"_qs << -1;
    QTest::newRow("none") << u"-- Veza schema 2\nCREATE TABLE a (x INT);"_qs << -1;
    QTest::newRow("unknown word") << u"-- veza:maybe\nCREATE TABLE a (x INT);"_qs << -1;
}

void TestDatabaseUrl::additiveMarker()
{
    QFETCH(QString, sql);
    QFETCH(int, expected);
    const std::optional<bool> marker = Migrator::additiveMarker(sql);
    QCOMPARE(marker ? int(*marker) : -1, expected);
}

void TestDatabaseUrl::compiledMigrations()
{
    // The resource is linked into this executable through veza_storage (no Q_INIT_RESOURCE).
    const Migrator sqlite(DatabaseUrl::Backend::Sqlite);
    const Migrator postgres(DatabaseUrl::Backend::Postgresql);
    QVERIFY2(sqlite.loadError().isEmpty(), qPrintable(sqlite.loadError()));
    QVERIFY2(postgres.loadError().isEmpty(), qPrintable(postgres.loadError()));
    QVERIFY(sqlite.latestVersion() >= 1);
    QCOMPARE(sqlite.latestVersion(), postgres.latestVersion());
    for (qsizetype i = 0; i < sqlite.migrations().size(); ++i) {
        QCOMPARE(sqlite.migrations()[i].version, postgres.migrations()[i].version);
        QCOMPARE(sqlite.migrations()[i].statements.size(),
                 postgres.migrations()[i].statements.size());
        // Same meaning on both backends, so the same marking.
        QCOMPARE(sqlite.migrations()[i].name, postgres.migrations()[i].name);
        QCOMPARE(sqlite.migrations()[i].additive, postgres.migrations()[i].additive);
    }
    // Marked truthfully (up to 13, when the marking began): 4 drops and renames, 11 rewrites
    // names that older binaries look up; the others only add.
    for (const Migrator::Migration &migration : sqlite.migrations()) {
        if (migration.version <= 13)
            QCOMPARE(migration.additive, migration.version != 4 && migration.version != 11);
    }
}

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_databaseurl.moc"
