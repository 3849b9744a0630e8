// Configuration from environment variables: defaults from the production guide, every
// validation failure named with its variable, secrets never echoed, docs kept in step.
#include "config/ConfigLoader.h"
#include "config/ConfigReport.h"
#include "config/ConfigVariables.h"
#include "config/SecretStore.h"
#include "config/ValueParsers.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <sys/stat.h>

using namespace veza::config;

namespace {
ConfigLoadResult loadWith(const QList<QPair<QString, QString>> &variables)
{
    QProcessEnvironment environment;
    for (const auto &[name, value] : variables)
        environment.insert(name, value);
    return ConfigLoader(environment).load();
}

unsigned modeBits(const QString &path)
{
    struct stat info
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return info.st_mode & 0777u;
}

const QString kGoodKeyHex =
    QStringLiteral("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
const QString kGoodJwt = QStringLiteral("a-production-secret-that-is-long-enough-1234");
} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsFollowTheGuide()
    {
        const ConfigLoadResult result = loadWith({});
        QVERIFY2(!result.error, qPrintable(result.error ? result.error->toLine() : QString()));
        const ServerConfig &c = *result.config;
        QCOMPARE(c.port, quint16(8080));
        QCOMPARE(c.wsPort, quint16(8081));
        QCOMPARE(c.grpcPort, quint16(50051));
        QCOMPARE(c.prometheusPort, quint16(9090));
        QCOMPARE(c.host.toString(), QStringLiteral("0.0.0.0"));
        QCOMPARE(c.databaseUrl, QStringLiteral("sqlite://var/veza.db"));
        QCOMPARE(c.databasePoolSize, 100);
        QCOMPARE(c.databaseTimeoutMs, 5000);
        QVERIFY(!c.sqliteFullSync); // SQLITE_SYNCHRONOUS=normal
        QCOMPARE(c.redisPoolSize, 50);
        QCOMPARE(c.redisTtlDefaultS, 3600);
        QCOMPARE(c.maxConnections, 100000);
        QCOMPARE(c.blockingThreads, 32);
        QCOMPARE(c.memoryLimitMb, 8192);
        QCOMPARE(c.rateLimitPerMinute, 1000);
        QCOMPARE(c.allowedOrigins, QStringList({QStringLiteral("https://veza.live"),
                                                QStringLiteral("https://app.veza.live")}));
        QCOMPARE(c.maxStreams, 10000);
        QCOMPARE(c.maxListenersPerStream, 10000);
        QCOMPARE(c.defaultBitrateKbps, 128);
        QCOMPARE(c.codecsEnabled, QStringList({QStringLiteral("opus"), QStringLiteral("aac"),
                                               QStringLiteral("mp3")}));
        QCOMPARE(c.maxMessageSize, 8192);
        QCOMPARE(c.messageHistoryLimit, 1000);
        QCOMPARE(c.e2eEncryption, E2eMode::Optional);
        QCOMPARE(c.shutdownTimeoutS, 30);
        QCOMPARE(c.environment, Environment::Development);
        QVERIFY(c.workerThreads >= 1);
    }

    void validValuesAreRead()
    {
        const ConfigLoadResult result =
            loadWith({{QStringLiteral("PORT"), QStringLiteral("9000")},
                      {QStringLiteral("HOST"), QStringLiteral("::1")},
                      {QStringLiteral("WORKER_THREADS"), QStringLiteral("3")},
                      {QStringLiteral("CODECS_ENABLED"), QStringLiteral(" Opus , mp3 ")},
                      {QStringLiteral("ENCRYPTION_KEY"), kGoodKeyHex},
                      {QStringLiteral("E2E_ENCRYPTION"), QStringLiteral("required")},
                      {QStringLiteral("SQLITE_SYNCHRONOUS"), QStringLiteral("FULL")},
                      {QStringLiteral("METRICS_ENABLED"), QStringLiteral("false")}});
        QVERIFY(!result.error);
        QCOMPARE(result.config->port, quint16(9000));
        QCOMPARE(result.config->host, QHostAddress(QStringLiteral("::1")));
        QCOMPARE(result.config->workerThreads, 3);
        QCOMPARE(result.config->codecsEnabled,
                 QStringList({QStringLiteral("opus"), QStringLiteral("mp3")}));
        QCOMPARE(result.config->encryptionKey, QByteArray::fromHex(kGoodKeyHex.toLatin1()));
        QCOMPARE(result.config->e2eEncryption, E2eMode::Required);
        QVERIFY(result.config->sqliteFullSync);
        QCOMPARE(result.config->metricsEnabled, false);
    }

    void logLevelWinsOverRustLog()
    {
        const ConfigLoadResult result =
            loadWith({{QStringLiteral("RUST_LOG"), QStringLiteral("debug")},
                      {QStringLiteral("LOG_LEVEL"), QStringLiteral("warn,veza.storage=debug")}});
        QVERIFY(!result.error);
        QCOMPARE(result.config->logLevel, QStringLiteral("warn,veza.storage=debug"));
        QCOMPARE(loadWith({{QStringLiteral("RUST_LOG"), QStringLiteral("debug")}}).config->logLevel,
                 QStringLiteral("debug"));
    }

    void invalidValuesAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expectedInLine");

        QTest::newRow("port out of range") << "PORT"
                                           << "70000"
                                           << "between 0 and 65535";
        QTest::newRow("port not a number") << "WS_PORT"
                                           << "eighty"
                                           << "between 0 and 65535";
        QTest::newRow("negative pool") << "DATABASE_POOL_SIZE"
                                       << "-3"
                                       << "an integer";
        QTest::newRow("unknown codec") << "CODECS_ENABLED"
                                       << "opus,flac"
                                       << "unknown codec \"flac\"";
        QTest::newRow("empty codecs") << "CODECS_ENABLED"
                                      << " , "
                                      << "subset of opus,aac,mp3";
        QTest::newRow("bad database url") << "DATABASE_URL"
                                          << "mysql://x@y/z"
                                          << "DATABASE_URL";
        QTest::newRow("short key") << "ENCRYPTION_KEY"
                                   << "abcd"
                                   << "64 hex digits or base64 of 32 bytes";
        QTest::newRow("key 31 bytes base64")
            << "ENCRYPTION_KEY" << QString::fromLatin1(QByteArray(31, 'k').toBase64())
            << "32 bytes";
        QTest::newRow("previous key malformed")
            << "ENCRYPTION_KEYS_PREVIOUS" << kGoodKeyHex + QStringLiteral(",abcd")
            << "(key #2 is not)";
        QTest::newRow("bad boolean") << "ADAPTIVE_BITRATE"
                                     << "maybe"
                                     << "true or false";
        QTest::newRow("bad environment") << "ENVIRONMENT"
                                         << "prodution"
                                         << "development, staging or production";
        QTest::newRow("bad sqlite sync") << "SQLITE_SYNCHRONOUS"
                                         << "off"
                                         << "normal or full";
        QTest::newRow("bad e2e") << "E2E_ENCRYPTION"
                                 << "always"
                                 << "disabled, optional or required";
        QTest::newRow("bad log level") << "LOG_LEVEL"
                                       << "verbose"
                                       << "error|warn|info|debug|trace";
        QTest::newRow("bad host") << "HOST"
                                  << "my host"
                                  << "IPv4 or IPv6";
        QTest::newRow("history days negative") << "LISTENER_HISTORY_DAYS"
                                               << "-1"
                                               << "between 0 and 36500";
        QTest::newRow("bitrate too high") << "DEFAULT_BITRATE"
                                          << "100000"
                                          << "between 32 and 320";
        QTest::newRow("bad redis url") << "REDIS_URL"
                                       << "http://redis"
                                       << "redis://";
    }

    void invalidValuesAreRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, expectedInLine);
        const ConfigLoadResult result = loadWith({{name, value}});
        QVERIFY(!result.config);
        QVERIFY(result.error);
        const QString line = result.error->toLine();
        QVERIFY2(line.startsWith(name + u'='), qPrintable(line));
        QVERIFY2(line.contains(expectedInLine), qPrintable(line));
        QVERIFY2(!line.contains(u'\n'), "one line");
    }

    void secretsAreNeverEchoed()
    {
        const QString secretValue = QStringLiteral("not-a-key-but-secret-material");
        const ConfigLoadResult result = loadWith({{QStringLiteral("ENCRYPTION_KEY"), secretValue}});
        QVERIFY(result.error);
        QVERIFY2(!result.error->toLine().contains(secretValue), qPrintable(result.error->toLine()));
        QVERIFY(result.error->toLine().contains(QStringLiteral("redacted")));

        const ConfigLoadResult pg =
            loadWith({{QStringLiteral("DATABASE_URL"),
                       QStringLiteral("postgresql://veza:hunter2@db:notaport/veza")}});
        QVERIFY(pg.error);
        QVERIFY2(!pg.error->toLine().contains(QStringLiteral("hunter2")),
                 qPrintable(pg.error->toLine()));
    }

    void previousEncryptionKeysAreReadInOrder()
    {
        const QByteArray base64Key(32, 'p');
        const ConfigLoadResult result =
            loadWith({{QStringLiteral("ENCRYPTION_KEY"), kGoodKeyHex},
                      {QStringLiteral("ENCRYPTION_KEYS_PREVIOUS"),
                       QStringLiteral(" %1 , %2,")
                           .arg(QString::fromLatin1(base64Key.toBase64()),
                                QString(kGoodKeyHex).replace(u'0', u'f'))}});
        QVERIFY2(!result.error, qPrintable(result.error ? result.error->toLine() : QString()));
        QCOMPARE(result.config->encryptionKeysPrevious.size(), 2);
        QCOMPARE(result.config->encryptionKeysPrevious.at(0), base64Key);
        QCOMPARE(result.config->encryptionKeysPrevious.at(1).size(), 32);
        const QString report = effectiveConfigReport(*result.config);
        QVERIFY2(report.contains(QStringLiteral("ENCRYPTION_KEYS_PREVIOUS=<redacted, 2 keys>")),
                 qPrintable(report));
        QVERIFY(!report.contains(QString::fromLatin1(base64Key.toBase64())));
        // The bad key's position is named, never a key.
        const ConfigLoadResult bad =
            loadWith({{QStringLiteral("ENCRYPTION_KEYS_PREVIOUS"),
                       kGoodKeyHex + QStringLiteral(",") + kGoodKeyHex.left(62)}});
        QVERIFY(bad.error);
        QVERIFY2(!bad.error->toLine().contains(kGoodKeyHex.left(62)),
                 qPrintable(bad.error->toLine()));
        QVERIFY(bad.error->toLine().contains(QStringLiteral("key #2")));
    }

    void productionRequiresRealSecrets_data()
    {
        QTest::addColumn<QString>("jwt");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("failingVariable");
        QTest::newRow("nothing") << ""
                                 << ""
                                 << "JWT_SECRET";
        QTest::newRow("guide placeholder jwt")
            << "your_production_jwt_secret_here" << kGoodKeyHex << "JWT_SECRET";
        QTest::newRow("short jwt") << "short" << kGoodKeyHex << "JWT_SECRET";
        QTest::newRow("missing key") << kGoodJwt << ""
                                     << "ENCRYPTION_KEY";
        QTest::newRow("guide placeholder key") << kGoodJwt << "your_32_byte_encryption_key_here"
                                               << "ENCRYPTION_KEY";
    }

    void productionRequiresRealSecrets()
    {
        QFETCH(QString, jwt);
        QFETCH(QString, key);
        QFETCH(QString, failingVariable);
        const ConfigLoadResult result =
            loadWith({{QStringLiteral("ENVIRONMENT"), QStringLiteral("production")},
                      {QStringLiteral("JWT_SECRET"), jwt},
                      {QStringLiteral("ENCRYPTION_KEY"), key}});
        QVERIFY(result.error);
        QCOMPARE(result.error->variable, failingVariable);
    }

    void productionStartsWithRealSecrets()
    {
        const ConfigLoadResult result =
            loadWith({{QStringLiteral("ENVIRONMENT"), QStringLiteral("production")},
                      {QStringLiteral("JWT_SECRET"), kGoodJwt},
                      {QStringLiteral("ENCRYPTION_KEY"),
                       QString::fromLatin1(QByteArray(32, 'x').toBase64())}});
        QVERIFY2(!result.error, qPrintable(result.error ? result.error->toLine() : QString()));
        QCOMPARE(result.config->encryptionKey, QByteArray(32, 'x'));
    }

    void laterFeaturesAreReportedNotActive()
    {
        const ConfigLoadResult result =
            loadWith({{QStringLiteral("GRPC_PORT"), QStringLiteral("50052")},
                      {QStringLiteral("TRACING_ENABLED"), QStringLiteral("false")}});
        QVERIFY(!result.error);
        QVERIFY(
            result.notices.join(u'\n').contains(QStringLiteral("GRPC_PORT is set but not active")));
        // REDIS_URL is read now: never echoed with its password, refused with a reason.
        const ConfigLoadResult bad = loadWith(
            {{QStringLiteral("REDIS_URL"), QStringLiteral("http://veza:hunter2@cache:6379")}});
        QVERIFY(bad.error);
        QVERIFY(!bad.error->toLine().contains(QStringLiteral("hunter2")));
        QVERIFY2(bad.error->toLine().contains(QStringLiteral("the scheme must be redis://")),
                 qPrintable(bad.error->toLine()));
        const ConfigLoadResult good = loadWith(
            {{QStringLiteral("REDIS_URL"), QStringLiteral("redis://veza:hunter2@cache:6379/2")}});
        QVERIFY(!good.error);
        const QString report = effectiveConfigReport(*good.config);
        QVERIFY(report.contains(QStringLiteral("REDIS_URL=redis://veza:***@cache:6379/2\n")));
        QVERIFY(!report.contains(QStringLiteral("hunter2")));
    }

    void developmentSecretsAreKeptAcrossRestarts()
    {
        QTemporaryDir dir;
        ServerConfig first = *loadWith({}).config;
        QStringList warnings;
        QVERIFY(!SecretStore(dir.path()).completeSecrets(first, &warnings));
        QCOMPARE(first.encryptionKey.size(), 32);
        QVERIFY(first.jwtSecret.size() >= 32);
        QVERIFY(warnings.join(u' ').contains(QStringLiteral("generated")));
        const QString keyFile = dir.filePath(QStringLiteral("secrets/encryption_key"));
        QCOMPARE(modeBits(keyFile), 0600u);
        QCOMPARE(modeBits(dir.filePath(QStringLiteral("secrets/jwt_secret"))), 0600u);

        ServerConfig second = *loadWith({}).config;
        warnings.clear();
        QVERIFY(!SecretStore(dir.path()).completeSecrets(second, &warnings));
        QCOMPARE(second.encryptionKey, first.encryptionKey);
        QCOMPARE(second.jwtSecret, first.jwtSecret);
        QVERIFY(warnings.join(u' ').contains(QStringLiteral("using")));
    }

    void keyFormats_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("hex") << kGoodKeyHex << true;
        QTest::newRow("hex uppercase") << kGoodKeyHex.toUpper() << true;
        QTest::newRow("base64") << QString::fromLatin1(QByteArray(32, '\xfb').toBase64()) << true;
        QTest::newRow("base64url")
            << QString::fromLatin1(QByteArray(32, '\xfb').toBase64(QByteArray::Base64UrlEncoding))
            << true;
        QTest::newRow("63 hex") << kGoodKeyHex.left(63) << false;
        QTest::newRow("raw 32 chars") << "your_32_byte_encryption_key_here" << false;
        QTest::newRow("base64 of 33")
            << QString::fromLatin1(QByteArray(33, 'a').toBase64()) << false;
    }

    void keyFormats()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QCOMPARE(parse::key32(text).has_value(), valid);
    }

    void reportRedactsSecrets()
    {
        ServerConfig config =
            *loadWith({{QStringLiteral("JWT_SECRET"), QStringLiteral("super-secret-value")},
                       {QStringLiteral("DATABASE_URL"),
                        QStringLiteral("postgresql://veza:hunter2@db:5432/veza")}})
                 .config;
        const QString report = effectiveConfigReport(config);
        QVERIFY(!report.contains(QStringLiteral("super-secret-value")));
        QVERIFY(!report.contains(QStringLiteral("hunter2")));
        QVERIFY(report.contains(QStringLiteral("DATABASE_URL=postgresql://veza:***@db:5432/veza")));
        QVERIFY(report.contains(QStringLiteral("JWT_SECRET=<redacted, 18 bytes>")));
        for (const ConfigVariable &variable : configVariables())
            QVERIFY2(report.contains(QString(variable.name) + u'='), variable.name.data());
    }

    // `config` prints what the server runs with: each variable's default, as documented.
    void reportShowsEachDefault()
    {
        const ConfigLoadResult result = loadWith({});
        QVERIFY(result.config);
        const QStringList lines = effectiveConfigReport(*result.config).split(u'\n');
        for (const ConfigVariable &variable : configVariables()) {
            if (variable.defaultValue.isEmpty() || variable.secret)
                continue;
            const QString line = QString(variable.name) + u'=' + QString(variable.defaultValue);
            const bool shown = std::any_of(lines.cbegin(), lines.cend(), [&line](const QString &l) {
                return l == line || l.startsWith(line + u' '); // "    # not active in this version"
            });
            QVERIFY2(shown, qPrintable(line));
        }
    }

    void docsListEveryVariable()
    {
        QFile doc(qEnvironmentVariable("VEZA_SOURCE_DIR") +
                  QStringLiteral("/docs/configuration.md"));
        QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
        const QString text = QString::fromUtf8(doc.readAll());
        for (const ConfigVariable &variable : configVariables()) {
            const QString row = QStringLiteral("| `%1` |").arg(variable.name);
            QVERIFY2(
                text.contains(row),
                qPrintable(
                    QStringLiteral("docs/configuration.md lacks a row for %1").arg(variable.name)));
            const QString defaultCell = variable.defaultValue.isEmpty()
                                            ? QString()
                                            : QStringLiteral("`%1`").arg(variable.defaultValue);
            const QString line = text.mid(text.indexOf(row)).section(u'\n', 0, 0);
            QVERIFY2(defaultCell.isEmpty() || line.contains(defaultCell),
                     qPrintable(QStringLiteral("docs/configuration.md: wrong default for %1")
                                    .arg(variable.name)));
        }
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
