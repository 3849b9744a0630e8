#include "config/ConfigReport.h"

#include "config/ConfigVariables.h"
#include "redis/RedisUrl.h"

#include <QHash>
#include <QRegularExpression>
#include <functional>

namespace veza::config {
namespace {

QString flag(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

QString secret(const QByteArray &value)
{
    return value.isEmpty() ? QStringLiteral("<unset>")
                           : QStringLiteral("<redacted, %1 bytes>").arg(value.size());
}

QString valueOf(const ServerConfig &c, QLatin1StringView name)
{
    using Getter = std::function<QString(const ServerConfig &)>;
    static const QHash<QString, Getter> getters{
        {QStringLiteral("RUST_LOG"), [](auto &c) { return c.logLevel; }},
        {QStringLiteral("LOG_LEVEL"), [](auto &c) { return c.logLevel; }},
        {QStringLiteral("ENVIRONMENT"), [](auto &c) { return environmentName(c.environment); }},
        {QStringLiteral("SERVICE_NAME"), [](auto &c) { return c.serviceName; }},
        {QStringLiteral("VERSION"), [](auto &c) { return c.version; }},
        {QStringLiteral("HOST"), [](auto &c) { return c.host.toString(); }},
        {QStringLiteral("PORT"), [](auto &c) { return QString::number(c.port); }},
        {QStringLiteral("WS_PORT"), [](auto &c) { return QString::number(c.wsPort); }},
        {QStringLiteral("GRPC_PORT"), [](auto &c) { return QString::number(c.grpcPort); }},
        {QStringLiteral("ADVERTISE_URL"), [](auto &c) { return c.advertiseUrl; }},
        {QStringLiteral("DATABASE_URL"), [](auto &c) { return urlWithoutPassword(c.databaseUrl); }},
        {QStringLiteral("DATABASE_POOL_SIZE"),
         [](auto &c) { return QString::number(c.databasePoolSize); }},
        {QStringLiteral("DATABASE_QUEUE_LIMIT"),
         [](auto &c) { return QString::number(c.databaseQueueLimit); }},
        {QStringLiteral("DATABASE_TIMEOUT_MS"),
         [](auto &c) { return QString::number(c.databaseTimeoutMs); }},
        {QStringLiteral("SQLITE_SYNCHRONOUS"),
         [](auto &c) {
             return c.sqliteFullSync ? QStringLiteral("full") : QStringLiteral("normal");
         }},
        {QStringLiteral("REDIS_URL"),
         [](auto &c) {
             const auto url = redis::RedisUrl::parse(c.redisUrl, nullptr);
             return url ? url->redacted() : QString();
         }},
        {QStringLiteral("REDIS_TLS_CA_FILE"), [](auto &c) { return c.redisTlsCaFile; }},
        {QStringLiteral("REDIS_POOL_SIZE"),
         [](auto &c) { return QString::number(c.redisPoolSize); }},
        {QStringLiteral("REDIS_TTL_DEFAULT"),
         [](auto &c) { return QString::number(c.redisTtlDefaultS); }},
        {QStringLiteral("PROMETHEUS_PORT"),
         [](auto &c) { return QString::number(c.prometheusPort); }},
        {QStringLiteral("JAEGER_ENDPOINT"), [](auto &c) { return c.jaegerEndpoint; }},
        {QStringLiteral("METRICS_ENABLED"), [](auto &c) { return flag(c.metricsEnabled); }},
        {QStringLiteral("TRACING_ENABLED"), [](auto &c) { return flag(c.tracingEnabled); }},
        {QStringLiteral("MAX_CONNECTIONS"),
         [](auto &c) { return QString::number(c.maxConnections); }},
        {QStringLiteral("MAX_HTTP_CONNECTIONS"),
         [](auto &c) { return QString::number(c.maxHttpConnections); }},
        {QStringLiteral("MAX_CONNECTIONS_PER_IP"),
         [](auto &c) { return QString::number(c.maxConnectionsPerIp); }},
        {QStringLiteral("MAX_CONNECTIONS_PER_USER"),
         [](auto &c) { return QString::number(c.maxConnectionsPerUser); }},
        {QStringLiteral("WORKER_THREADS"),
         [](auto &c) { return QString::number(c.workerThreads); }},
        {QStringLiteral("BLOCKING_THREADS"),
         [](auto &c) { return QString::number(c.blockingThreads); }},
        {QStringLiteral("MEMORY_LIMIT_MB"),
         [](auto &c) { return QString::number(c.memoryLimitMb); }},
        {QStringLiteral("JWT_SECRET"), [](auto &c) { return secret(c.jwtSecret); }},
        {QStringLiteral("JWT_SECRET_PREVIOUS"),
         [](auto &c) { return secret(c.jwtSecretPrevious); }},
        {QStringLiteral("JWT_ISSUER"), [](auto &c) { return c.jwtIssuer; }},
        {QStringLiteral("JWT_AUDIENCE"), [](auto &c) { return c.jwtAudience; }},
        {QStringLiteral("ENCRYPTION_KEY"), [](auto &c) { return secret(c.encryptionKey); }},
        {QStringLiteral("ENCRYPTION_KEYS_PREVIOUS"),
         [](auto &c) {
             const qsizetype keys = c.encryptionKeysPrevious.size();
             return keys == 0 ? QStringLiteral("<unset>")
                              : QStringLiteral("<redacted, %1 key%2>")
                                    .arg(keys)
                                    .arg(keys == 1 ? QString() : QStringLiteral("s"));
         }},
        {QStringLiteral("RATE_LIMIT_PER_MINUTE"),
         [](auto &c) { return QString::number(c.rateLimitPerMinute); }},
        {QStringLiteral("ENABLE_CORS"), [](auto &c) { return flag(c.enableCors); }},
        {QStringLiteral("ALLOWED_ORIGINS"), [](auto &c) { return c.allowedOrigins.join(u','); }},
        {QStringLiteral("TRUSTED_PROXIES"), [](auto &c) { return c.trustedProxies.join(u','); }},
        {QStringLiteral("TLS_CERT_FILE"), [](auto &c) { return c.tlsCertFile; }},
        {QStringLiteral("TLS_KEY_FILE"),
         [](auto &c) {
             return c.tlsKeyFile.isEmpty() ? QString() : QStringLiteral("<redacted path>");
         }},
        {QStringLiteral("MAX_STREAMS"), [](auto &c) { return QString::number(c.maxStreams); }},
        {QStringLiteral("MAX_STREAMS_PER_USER"),
         [](auto &c) { return QString::number(c.maxStreamsPerUser); }},
        {QStringLiteral("MAX_LISTENERS_PER_STREAM"),
         [](auto &c) { return QString::number(c.maxListenersPerStream); }},
        {QStringLiteral("STREAM_BURST_MS"),
         [](auto &c) { return QString::number(c.streamBurstMs); }},
        {QStringLiteral("LISTENER_HISTORY_DAYS"),
         [](auto &c) { return QString::number(c.listenerHistoryDays); }},
        {QStringLiteral("STREAM_SOURCE_GRACE_S"),
         [](auto &c) { return QString::number(c.streamSourceGraceS); }},
        {QStringLiteral("ADAPTIVE_BITRATE"), [](auto &c) { return flag(c.adaptiveBitrate); }},
        {QStringLiteral("DEFAULT_BITRATE"),
         [](auto &c) { return QString::number(c.defaultBitrateKbps); }},
        {QStringLiteral("CODECS_ENABLED"), [](auto &c) { return c.codecsEnabled.join(u','); }},
        {QStringLiteral("MAX_MESSAGE_SIZE"),
         [](auto &c) { return QString::number(c.maxMessageSize); }},
        {QStringLiteral("MESSAGE_HISTORY_LIMIT"),
         [](auto &c) { return QString::number(c.messageHistoryLimit); }},
        {QStringLiteral("MAX_MESSAGE_RATE"),
         [](auto &c) { return QString::number(c.maxMessageRate); }},
        {QStringLiteral("ROOMS_PER_USER_PER_HOUR"),
         [](auto &c) { return QString::number(c.roomsPerUserPerHour); }},
        {QStringLiteral("MESSAGE_RATE_BURST"),
         [](auto &c) { return QString::number(c.messageRateBurst); }},
        {QStringLiteral("PING_INTERVAL_S"),
         [](auto &c) { return QString::number(c.pingIntervalS); }},
        {QStringLiteral("PING_TIMEOUT_S"), [](auto &c) { return QString::number(c.pingTimeoutS); }},
        {QStringLiteral("MODERATION_ENABLED"), [](auto &c) { return flag(c.moderationEnabled); }},
        {QStringLiteral("E2E_ENCRYPTION"), [](auto &c) { return e2eModeName(c.e2eEncryption); }},
        {QStringLiteral("DATA_DIR"), [](auto &c) { return c.dataDir; }},
        {QStringLiteral("SHUTDOWN_TIMEOUT_S"),
         [](auto &c) { return QString::number(c.shutdownTimeoutS); }},
    };
    const auto it = getters.constFind(QString(name));
    Q_ASSERT_X(it != getters.cend(), "effectiveConfigReport", "variable without a getter");
    return it != getters.cend() ? (*it)(c) : QString();
}

} // namespace

QString urlWithoutPassword(QString url)
{
    static const QRegularExpression userInfo(QStringLiteral("(://[^:/@]*):[^@/]*@"));
    return url.replace(userInfo, QStringLiteral("\\1:***@"));
}

QString effectiveConfigReport(const ServerConfig &config)
{
    QString out;
    QLatin1StringView group;
    for (const ConfigVariable &variable : configVariables()) {
        if (variable.group != group) {
            group = variable.group;
            out += QStringLiteral("# === %1 ===\n").arg(group);
        }
        out += QStringLiteral("%1=%2").arg(variable.name, valueOf(config, variable.name));
        if (variable.activity == Activity::NotActiveYet)
            out += QStringLiteral("    # not active in this version");
        else if (variable.activity == Activity::NotNeeded)
            out += QStringLiteral("    # not needed by this server");
        out += u'\n';
    }
    return out;
}

QString helpText(const QString &programName)
{
    QString out =
        QStringLiteral(
            "Usage: %1 [--help | --version | --check-config]\n"
            "\n"
            "Veza real-time server: WebSocket chat, live audio streaming, HTTP API, metrics.\n"
            "Configured only by environment variables (see docs/configuration.md).\n"
            "\n"
            "  --help          show this text\n"
            "  --version       print the version\n"
            "  --check-config  validate the environment, print the effective configuration\n"
            "                  (secrets redacted), exit 0 if valid, 2 if not\n"
            "  token --user ID [--name N] [--roles r1,r2] [--ttl 24h]\n"
            "                  print a signed access token for development (docs/auth.md)\n"
            "  rekey [--check] [--batch-size 500] [--pause-ms 10]\n"
            "                  move the rows sealed with an older key to ENCRYPTION_KEY\n"
            "                  while servers run; --check only counts them (docs/encryption.md)\n"
            "  probe [URL]     ask this server's /health/ready on loopback (or URL): exit 0\n"
            "                  on a 2xx answer, 1 otherwise (the image's health check)\n"
            "  backup DEST     copy the SQLite database while servers run, checked, to DEST\n"
            "                  (a file, or a folder) (docs/operations.md, Backup and restore)\n"
            "\n"
            "Environment variables (default in brackets):\n")
            .arg(programName);
    for (const ConfigVariable &variable : configVariables()) {
        out += QStringLiteral("  %1 [%2]%3\n")
                   .arg(QString(variable.name).leftJustified(26), variable.defaultValue,
                        variable.activity == Activity::NotActiveYet
                            ? QStringLiteral(" (not active yet)")
                        : variable.activity == Activity::NotNeeded ? QStringLiteral(" (not needed)")
                                                                   : QString());
    }
    return out;
}

} // namespace veza::config
