#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

namespace veza::config {

enum class Environment { Development, Staging, Production };
enum class E2eMode { Disabled, Optional, Required };

// The server's effective configuration, read once at start from the environment
// (ConfigLoader) and then passed by const reference; never mutated while serving.
struct ServerConfig
{
    // CORE
    QString logLevel = QStringLiteral("info");
    Environment environment = Environment::Development;
    QString serviceName;
    QString version;

    // NETWORK
    QHostAddress host;
    quint16 port = 8080;
    quint16 wsPort = 8081;
    quint16 grpcPort = 50051;
    QString advertiseUrl; // empty: derived from HOST and the bound PORT (ServerApp)

    // DATABASE
    QString databaseUrl;
    int databasePoolSize = 100;
    int databaseQueueLimit = 10000; // 0: no bound
    int databaseTimeoutMs = 5000;
    bool sqliteFullSync = false; // SQLITE_SYNCHRONOUS=full

    // REDIS: several instances (empty URL: this server runs alone)
    QString redisUrl;
    QString redisTlsCaFile;
    int redisPoolSize = 50;
    int redisTtlDefaultS = 3600;

    // MONITORING
    quint16 prometheusPort = 9090;
    QString jaegerEndpoint;
    bool metricsEnabled = true;
    bool tracingEnabled = true;

    // PERFORMANCE
    int maxConnections = 100000;
    int maxHttpConnections = 100000;
    int maxConnectionsPerIp = 1000; // 0: no cap
    int maxConnectionsPerUser = 50; // WebSocket sessions; 0: no cap
    int workerThreads = 1;
    int blockingThreads = 32;
    int memoryLimitMb = 8192;

    // SECURITY
    QByteArray jwtSecret;
    QByteArray jwtSecretPrevious;
    QString jwtIssuer;                        // empty: any (or no) `iss`
    QString jwtAudience;                      // empty: any (or no) `aud`
    QByteArray encryptionKey;                 // exactly 32 bytes once loaded
    QList<QByteArray> encryptionKeysPrevious; // each 32 bytes; only to open older rows
    int rateLimitPerMinute = 1000;
    bool enableCors = true;
    QStringList allowedOrigins;
    QStringList trustedProxies; // addresses and CIDR ranges (validated at load)
    QString tlsCertFile;
    QString tlsKeyFile;

    // AUDIO STREAMING
    int maxStreams = 10000;
    int maxStreamsPerUser = 20; // owned; 0: no cap
    int maxListenersPerStream = 10000;
    int streamSourceGraceS = 10;  // a disconnected source may come back this long
    int streamBurstMs = 1000;     // burst-on-connect of HTTP listeners
    int listenerHistoryDays = 90; // listener_sessions kept this long; 0: forever
    bool adaptiveBitrate = true;
    int defaultBitrateKbps = 128;
    QStringList codecsEnabled;

    // CHAT
    int maxMessageSize = 8192;
    int messageHistoryLimit = 1000;
    int maxMessageRate = 100;     // per user and second
    int messageRateBurst = 100;   // token bucket size
    int roomsPerUserPerHour = 20; // created; 0: no cap
    int pingIntervalS = 25;
    int pingTimeoutS = 60;
    bool moderationEnabled = true;
    E2eMode e2eEncryption = E2eMode::Optional;

    // OPERATIONS
    QString dataDir;
    int shutdownTimeoutS = 30;

    bool tlsEnabled() const { return !tlsCertFile.isEmpty(); }
    bool isProductionLike() const { return environment != Environment::Development; }
};

QString environmentName(Environment environment);
QString e2eModeName(E2eMode mode);

} // namespace veza::config
