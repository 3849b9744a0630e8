#include "config/ConfigLoader.h"

#include "VezaVersion.h"
#include "config/ConfigReport.h"
#include "config/ConfigVariables.h"
#include "config/ValueParsers.h"
#include "net/TrustedProxies.h"
#include "redis/RedisUrl.h"
#include "storage/DatabaseUrl.h"

#include <QThread>
#include <QUrl>

namespace veza::config {
namespace {

// Placeholder values printed in the production guide; running production with them would
// mean running with public secrets.
const QStringList kGuidePlaceholders{QStringLiteral("your_production_jwt_secret_here"),
                                     QStringLiteral("your_32_byte_encryption_key_here")};

constexpr int kMinProductionJwtSecretBytes = 32;

// Reads variables through the table (so an unknown name is a programming error) and keeps the
// first validation failure.
class Reader
{
public:
    explicit Reader(const QProcessEnvironment &environment)
        : m_environment(environment)
    {
    }

    QString text(const char *name) const
    {
        const ConfigVariable *variable = findConfigVariable(QLatin1StringView(name));
        Q_ASSERT_X(variable, "ConfigLoader", name);
        const QString value = m_environment.value(QLatin1StringView(name));
        return value.isEmpty() ? QString(variable->defaultValue) : value;
    }

    bool isSet(const char *name) const
    {
        return !m_environment.value(QLatin1StringView(name)).isEmpty();
    }

    void fail(const char *name, const QString &value, const QString &expected)
    {
        if (m_error)
            return;
        const ConfigVariable *variable = findConfigVariable(QLatin1StringView(name));
        const bool secret = variable && variable->secret;
        const QString shown =
            secret ? QStringLiteral("<redacted, %1 bytes>").arg(value.toUtf8().size())
                   : u'"' + value + u'"';
        m_error = ConfigError{QString::fromLatin1(name), shown, expected};
    }

    template <typename T> T integer(const char *name, qint64 min, qint64 max, T fallback)
    {
        const QString value = text(name);
        if (auto parsed = parse::integer(value, min, max))
            return static_cast<T>(*parsed);
        fail(name, value, QStringLiteral("an integer between %1 and %2").arg(min).arg(max));
        return fallback;
    }

    quint16 port(const char *name) { return integer<quint16>(name, 0, 65535, 0); }

    bool boolean(const char *name)
    {
        const QString value = text(name);
        if (auto parsed = parse::boolean(value))
            return *parsed;
        fail(name, value, QStringLiteral("true or false"));
        return false;
    }

    const std::optional<ConfigError> &error() const { return m_error; }

private:
    const QProcessEnvironment &m_environment;
    std::optional<ConfigError> m_error;
};

void readCore(Reader &r, ServerConfig &c)
{
    const char *levelVariable = r.isSet("LOG_LEVEL") ? "LOG_LEVEL" : "RUST_LOG";
    c.logLevel = r.text(levelVariable);
    QString badPart;
    if (!parse::logLevelSpec(c.logLevel, &badPart))
        r.fail(levelVariable, c.logLevel,
               QStringLiteral("error|warn|info|debug|trace, optionally followed by "
                              ",module=level (bad part: \"%1\")")
                   .arg(badPart));

    const QString environment = r.text("ENVIRONMENT").toLower();
    if (environment == u"development" || environment == u"dev")
        c.environment = Environment::Development;
    else if (environment == u"staging")
        c.environment = Environment::Staging;
    else if (environment == u"production" || environment == u"prod")
        c.environment = Environment::Production;
    else
        r.fail("ENVIRONMENT", environment, QStringLiteral("development, staging or production"));

    c.serviceName = r.text("SERVICE_NAME");
    c.version = r.isSet("VERSION") ? r.text("VERSION") : QString::fromLatin1(veza::kVersion);
}

void readNetwork(Reader &r, ServerConfig &c)
{
    const QString host = r.text("HOST");
    if (!c.host.setAddress(host))
        r.fail("HOST", host, QStringLiteral("an IPv4 or IPv6 address such as 0.0.0.0 or ::"));
    c.port = r.port("PORT");
    c.wsPort = r.port("WS_PORT");
    c.grpcPort = r.port("GRPC_PORT");
    c.advertiseUrl = r.text("ADVERTISE_URL");
    if (!c.advertiseUrl.isEmpty()) {
        const QUrl url(c.advertiseUrl, QUrl::StrictMode);
        const QString path = url.path();
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
            url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery() ||
            url.hasFragment() || (!path.isEmpty() && path != u"/"))
            r.fail("ADVERTISE_URL", c.advertiseUrl,
                   QStringLiteral("http://host:port or https://host:port"));
        c.advertiseUrl = url.toString(QUrl::StripTrailingSlash);
    }
}

void readDatabase(Reader &r, ServerConfig &c)
{
    c.databaseUrl = r.text("DATABASE_URL");
    QString why;
    if (!storage::DatabaseUrl::parse(c.databaseUrl, &why))
        r.fail("DATABASE_URL", urlWithoutPassword(c.databaseUrl),
               QStringLiteral("a valid database URL (%1)").arg(why));
    c.databasePoolSize = r.integer<int>("DATABASE_POOL_SIZE", 1, 10000, 1);
    c.databaseTimeoutMs = r.integer<int>("DATABASE_TIMEOUT_MS", 100, 600000, 5000);
    c.databaseQueueLimit = r.integer<int>("DATABASE_QUEUE_LIMIT", 0, 10000000, 10000);
    const QString sqliteSync = r.text("SQLITE_SYNCHRONOUS").toLower();
    if (sqliteSync == u"full")
        c.sqliteFullSync = true;
    else if (sqliteSync != u"normal")
        r.fail("SQLITE_SYNCHRONOUS", sqliteSync, QStringLiteral("normal or full"));
}

void readRedisAndMonitoring(Reader &r, ServerConfig &c)
{
    c.redisUrl = r.text("REDIS_URL");
    if (QString why; !c.redisUrl.isEmpty() && !redis::RedisUrl::parse(c.redisUrl, &why)) {
        // Never echoed: it may hold a password.
        r.fail(
            "REDIS_URL", QString(),
            QStringLiteral("redis://[user:password@]host[:port][/db] or rediss:// (%1)").arg(why));
    }
    c.redisTlsCaFile = r.text("REDIS_TLS_CA_FILE");
    c.redisPoolSize = r.integer<int>("REDIS_POOL_SIZE", 1, 10000, 1);
    c.redisTtlDefaultS = r.integer<int>("REDIS_TTL_DEFAULT", 1, 31536000, 3600);

    c.prometheusPort = r.port("PROMETHEUS_PORT");
    c.jaegerEndpoint = r.text("JAEGER_ENDPOINT");
    if (!c.jaegerEndpoint.isEmpty() && !c.jaegerEndpoint.startsWith(u"http://") &&
        !c.jaegerEndpoint.startsWith(u"https://"))
        r.fail("JAEGER_ENDPOINT", c.jaegerEndpoint, QStringLiteral("an http:// or https:// URL"));
    c.metricsEnabled = r.boolean("METRICS_ENABLED");
    c.tracingEnabled = r.boolean("TRACING_ENABLED");
}

void readPerformance(Reader &r, ServerConfig &c)
{
    c.maxConnections = r.integer<int>("MAX_CONNECTIONS", 1, 10000000, 1);
    c.maxHttpConnections = r.integer<int>("MAX_HTTP_CONNECTIONS", 1, 10000000, 1);
    c.maxConnectionsPerIp = r.integer<int>("MAX_CONNECTIONS_PER_IP", 0, 10000000, 0);
    c.maxConnectionsPerUser = r.integer<int>("MAX_CONNECTIONS_PER_USER", 0, 10000000, 0);
    c.workerThreads = r.isSet("WORKER_THREADS") ? r.integer<int>("WORKER_THREADS", 1, 1024, 1)
                                                : std::max(1, QThread::idealThreadCount());
    c.blockingThreads = r.integer<int>("BLOCKING_THREADS", 1, 4096, 1);
    c.memoryLimitMb = r.integer<int>("MEMORY_LIMIT_MB", 16, 16777216, 8192);
}

void readSecurity(Reader &r, ServerConfig &c)
{
    c.jwtSecret = r.text("JWT_SECRET").toUtf8();
    c.jwtSecretPrevious = r.text("JWT_SECRET_PREVIOUS").toUtf8();
    c.jwtIssuer = r.text("JWT_ISSUER");
    c.jwtAudience = r.text("JWT_AUDIENCE");
    const QString key = r.text("ENCRYPTION_KEY");
    if (!key.isEmpty() && !kGuidePlaceholders.contains(key)) {
        if (auto decoded = parse::key32(key))
            c.encryptionKey = *decoded;
        else
            r.fail("ENCRYPTION_KEY", key, QStringLiteral("64 hex digits or base64 of 32 bytes"));
    }
    // Position, not value, in the error: the value is secret (Reader::fail redacts it).
    const QString previous = r.text("ENCRYPTION_KEYS_PREVIOUS");
    const QStringList previousKeys = parse::list(previous);
    for (qsizetype i = 0; i < previousKeys.size(); ++i) {
        if (auto decoded = parse::key32(previousKeys.at(i))) {
            c.encryptionKeysPrevious.append(*decoded);
        } else {
            r.fail("ENCRYPTION_KEYS_PREVIOUS", previous,
                   QStringLiteral("comma-separated keys, each 64 hex digits or base64 of 32 "
                                  "bytes (key #%1 is not)")
                       .arg(i + 1));
            break;
        }
    }
    if (c.isProductionLike()) {
        const QString jwt = QString::fromUtf8(c.jwtSecret);
        if (jwt.isEmpty() || kGuidePlaceholders.contains(jwt))
            r.fail("JWT_SECRET", jwt,
                   QStringLiteral("a real secret in production (not empty, not the guide's "
                                  "placeholder)"));
        else if (c.jwtSecret.size() < kMinProductionJwtSecretBytes)
            r.fail("JWT_SECRET", jwt,
                   QStringLiteral("at least %1 bytes in production")
                       .arg(kMinProductionJwtSecretBytes));
        if (c.encryptionKey.isEmpty())
            r.fail("ENCRYPTION_KEY", key,
                   QStringLiteral("a real key in production: 64 hex digits or base64 of 32 "
                                  "bytes (not empty, not the guide's placeholder)"));
    }
    c.rateLimitPerMinute = r.integer<int>("RATE_LIMIT_PER_MINUTE", 0, 100000000, 0);
    c.enableCors = r.boolean("ENABLE_CORS");
    c.allowedOrigins = parse::list(r.text("ALLOWED_ORIGINS"));
    c.trustedProxies = parse::list(r.text("TRUSTED_PROXIES"));
    if (QString why; !net::TrustedProxies::parse(c.trustedProxies, &why))
        r.fail("TRUSTED_PROXIES", r.text("TRUSTED_PROXIES"), why);
    c.tlsCertFile = r.text("TLS_CERT_FILE");
    c.tlsKeyFile = r.text("TLS_KEY_FILE");
    if (c.tlsCertFile.isEmpty() != c.tlsKeyFile.isEmpty())
        r.fail(c.tlsCertFile.isEmpty() ? "TLS_CERT_FILE" : "TLS_KEY_FILE", QString(),
               QStringLiteral("TLS_CERT_FILE and TLS_KEY_FILE to be set together"));
}

void readStreamingAndChat(Reader &r, ServerConfig &c)
{
    c.maxStreams = r.integer<int>("MAX_STREAMS", 1, 10000000, 1);
    c.maxStreamsPerUser = r.integer<int>("MAX_STREAMS_PER_USER", 0, 10000000, 0);
    c.maxListenersPerStream = r.integer<int>("MAX_LISTENERS_PER_STREAM", 1, 10000000, 1);
    c.streamSourceGraceS = r.integer<int>("STREAM_SOURCE_GRACE_S", 0, 3600, 10);
    c.streamBurstMs = r.integer<int>("STREAM_BURST_MS", 0, 10000, 1000);
    c.listenerHistoryDays = r.integer<int>("LISTENER_HISTORY_DAYS", 0, 36500, 90);
    c.adaptiveBitrate = r.boolean("ADAPTIVE_BITRATE");
    c.defaultBitrateKbps = r.integer<int>("DEFAULT_BITRATE", 32, 320, 128);
    const QString codecs = r.text("CODECS_ENABLED");
    c.codecsEnabled = parse::list(codecs.toLower());
    static const QStringList known{QStringLiteral("opus"), QStringLiteral("aac"),
                                   QStringLiteral("mp3")};
    if (c.codecsEnabled.isEmpty())
        r.fail("CODECS_ENABLED", codecs,
               QStringLiteral("a comma-separated subset of opus,aac,mp3"));
    for (const QString &codec : std::as_const(c.codecsEnabled)) {
        if (!known.contains(codec))
            r.fail("CODECS_ENABLED", codecs,
                   QStringLiteral("a comma-separated subset of opus,aac,mp3 (unknown codec \"%1\")")
                       .arg(codec));
    }
    c.codecsEnabled.removeDuplicates();

    c.maxMessageSize = r.integer<int>("MAX_MESSAGE_SIZE", 1, 65536, 8192);
    c.messageHistoryLimit = r.integer<int>("MESSAGE_HISTORY_LIMIT", 1, 100000, 1000);
    c.maxMessageRate = r.integer<int>("MAX_MESSAGE_RATE", 1, 1000000, 100);
    c.roomsPerUserPerHour = r.integer<int>("ROOMS_PER_USER_PER_HOUR", 0, 1000000, 0);
    c.messageRateBurst = r.integer<int>("MESSAGE_RATE_BURST", 1, 1000000, 100);
    c.pingIntervalS = r.integer<int>("PING_INTERVAL_S", 1, 3600, 25);
    c.pingTimeoutS = r.integer<int>("PING_TIMEOUT_S", 1, 3600, 60);
    c.moderationEnabled = r.boolean("MODERATION_ENABLED");
    const QString e2e = r.text("E2E_ENCRYPTION").toLower();
    if (e2e == u"disabled")
        c.e2eEncryption = E2eMode::Disabled;
    else if (e2e == u"optional")
        c.e2eEncryption = E2eMode::Optional;
    else if (e2e == u"required")
        c.e2eEncryption = E2eMode::Required;
    else
        r.fail("E2E_ENCRYPTION", e2e, QStringLiteral("disabled, optional or required"));
}

void readOperations(Reader &r, ServerConfig &c)
{
    c.dataDir = r.text("DATA_DIR");
    c.shutdownTimeoutS = r.integer<int>("SHUTDOWN_TIMEOUT_S", 0, 3600, 30);
}

QStringList notActiveNotices(const Reader &r, const ServerConfig &c)
{
    QStringList notices;
    for (const ConfigVariable &variable : configVariables()) {
        if (variable.activity == Activity::Active)
            continue;
        const QByteArray name = QString(variable.name).toLatin1();
        if (!r.isSet(name.constData()))
            continue;
        notices.append(
            variable.activity == Activity::NotNeeded
                ? QStringLiteral("%1 is set but not needed by this server "
                                 "(docs/configuration.md says why)")
                      .arg(variable.name)
                : QStringLiteral("%1 is set but not active in this version").arg(variable.name));
    }
    if (c.tracingEnabled && !r.isSet("TRACING_ENABLED"))
        notices.append(
            QStringLiteral("tracing is enabled by default but not active in this version"));
    return notices;
}

} // namespace

QString ConfigError::toLine() const
{
    return QStringLiteral("%1=%2: expected %3").arg(variable, shownValue, expected);
}

ConfigLoader::ConfigLoader(QProcessEnvironment environment)
    : m_environment(std::move(environment))
{
}

ConfigLoadResult ConfigLoader::load() const
{
    Reader reader(m_environment);
    ServerConfig config;
    readCore(reader, config);
    readNetwork(reader, config);
    readDatabase(reader, config);
    readRedisAndMonitoring(reader, config);
    readPerformance(reader, config);
    readSecurity(reader, config);
    readStreamingAndChat(reader, config);
    readOperations(reader, config);

    ConfigLoadResult result;
    if (reader.error()) {
        result.error = reader.error();
        return result;
    }
    result.notices = notActiveNotices(reader, config);
    result.config = std::move(config);
    return result;
}

QString environmentName(Environment environment)
{
    switch (environment) {
    case Environment::Development:
        return QStringLiteral("development");
    case Environment::Staging:
        return QStringLiteral("staging");
    case Environment::Production:
        return QStringLiteral("production");
    }
    return {};
}

QString e2eModeName(E2eMode mode)
{
    switch (mode) {
    case E2eMode::Disabled:
        return QStringLiteral("disabled");
    case E2eMode::Optional:
        return QStringLiteral("optional");
    case E2eMode::Required:
        return QStringLiteral("required");
    }
    return {};
}

} // namespace veza::config
