#include "ServerApp.h"

#include "VezaCommit.h"
#include "VezaVersion.h"
#include "audio/pipeline/AudioPipeline.h"
#include "audio/pipeline/PipelineMetrics.h"
#include "chat/ChatFigures.h"
#include "chat/ChatMetrics.h"
#include "chat/ChatService.h"
#include "cluster/AdvertiseUrl.h"
#include "cluster/ClusterStreamDirectory.h"
#include "cluster/ClusterStreams.h"
#include "cluster/RedisChatRelay.h"
#include "cluster/RedisHealth.h"
#include "cluster/RedisPresence.h"
#include "cluster/RedisRateShare.h"
#include "crypto/KeyRing.h"
#include "crypto/MessageCipher.h"
#include "endpoints/ServerEndpoints.h"
#include "endpoints/chat/ChatDelivery.h"
#include "endpoints/chat/NetworkChatOutbox.h"
#include "endpoints/monitor/MonitorFeed.h"
#include "endpoints/streams/StreamSocketMetrics.h"
#include "eventloop/EpollEventDispatcher.h"
#include "logging/JsonLog.h"
#include "metrics/MetricsRegistry.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/ResourceMetrics.h"
#include "moderation/ModerationStore.h"
#include "moderation/ServerBans.h"
#include "net/ConnectionLimiter.h"
#include "net/KeyedConnectionLimiter.h"
#include "net/KeyedRateLimiter.h"
#include "net/NetMetrics.h"
#include "net/NetworkThreads.h"
#include "net/TlsSettings.h"
#include "net/ws/CloseCodes.h"
#include "ops/DatabaseHeartbeats.h"
#include "ops/HealthState.h"
#include "ops/LoopHeartbeat.h"
#include "ops/MetricsEndpoint.h"
#include "ops/ReadinessProbe.h"
#include "ops/ServiceManager.h"
#include "ops/SignalWatcher.h"
#include "ops/TlsReloader.h"
#include "redis/RedisUrl.h"
#include "storage/Database.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamMetrics.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSslCertificate>
#include <QSysInfo>
#include <QThread>
#include <QTimer>
#include <QUuid>
#include <algorithm>

Q_LOGGING_CATEGORY(lcServer, "veza.server")

namespace veza {
namespace {

constexpr int kReadinessIntervalMs = 1000;
constexpr int kDrainPollMs = 20;

QString urlHost(const QHostAddress &host)
{
    if (host == QHostAddress::AnyIPv4 || host == QHostAddress::Any || host == QHostAddress::AnyIPv6)
        return QStringLiteral("127.0.0.1");
    return host.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host.toString() + u']'
                                                            : host.toString();
}

// The renditions every live stream offers: the Opus ladder (32, 64 and 96 kbit/s plus
// DEFAULT_BITRATE) and MP3 and AAC at DEFAULT_BITRATE, as CODECS_ENABLED allows.
audio::PipelineConfig pipelineConfig(const config::ServerConfig &config)
{
    audio::PipelineConfig pipeline;
    pipeline.defaultBitrate = config.defaultBitrateKbps * 1000;
    QList<int> ladder{32000, 64000, 96000};
    if (!ladder.contains(pipeline.defaultBitrate))
        ladder.append(pipeline.defaultBitrate);
    std::sort(ladder.begin(), ladder.end());
    pipeline.opusBitrates = ladder;
    pipeline.opus = config.codecsEnabled.contains(QStringLiteral("opus"));
    pipeline.mp3 = config.codecsEnabled.contains(QStringLiteral("mp3"));
    pipeline.aac = config.codecsEnabled.contains(QStringLiteral("aac"));
    return pipeline;
}

// host-pid-random: unique across restarts and containers sharing a host name.
QByteArray newInstanceId()
{
    return QSysInfo::machineHostName().toUtf8() + '-' +
           QByteArray::number(QCoreApplication::applicationPid()) + '-' +
           QUuid::createUuid().toByteArray(QUuid::Id128).left(8);
}

// REDIS_URL and REDIS_TLS_CA_FILE as a connection's options; an error line when the CA file
// holds no certificate.
std::optional<QString> redisOptions(const config::ServerConfig &config, QByteArray clientName,
                                    redis::RedisConnection::Options *options)
{
    options->url = *redis::RedisUrl::parse(config.redisUrl, nullptr); // validated at load
    options->clientName = std::move(clientName);
    if (!config.redisTlsCaFile.isEmpty()) {
        options->caCertificates = QSslCertificate::fromPath(config.redisTlsCaFile);
        if (options->caCertificates.isEmpty())
            return QStringLiteral("REDIS_TLS_CA_FILE: no PEM certificate in %1")
                .arg(config.redisTlsCaFile);
    }
    return std::nullopt;
}

} // namespace

ServerApp::ServerApp(config::ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_instanceId(newInstanceId())
    , m_metrics(std::make_unique<metrics::MetricsRegistry>())
    , m_health(std::make_unique<ops::HealthState>())
    , m_limiter(std::make_unique<net::ConnectionLimiter>(m_config.maxConnections))
{
    m_netMetrics = std::make_unique<net::NetMetrics>(*m_metrics);
    // Always 1: the labels say which build answers (joins, e.g. a version next to an alert).
    m_metrics
        ->gaugeFamily(QStringLiteral("veza_build_info"),
                      QStringLiteral("The build of this server: project version and git commit."),
                      {QStringLiteral("version"), QStringLiteral("commit")})
        .labels({QLatin1StringView(kVersion), QLatin1StringView(kCommit)})
        .set(1);
    m_processMetrics = std::make_unique<metrics::ProcessMetrics>(*m_metrics);
    metrics::ResourceSources resources;
    if (const QString root = qEnvironmentVariable("VEZA_CGROUP_ROOT"); !root.isEmpty())
        resources.cgroupRoot = root; // tests: a cgroup made of files they write
    m_resourceMetrics = std::make_unique<metrics::ResourceMetrics>(*m_metrics, resources);
}

ServerApp::~ServerApp()
{
    stopChat();
    m_network.reset();
    m_clusterDirectory.reset();
    m_clusterStreams.reset(); // its relays end their streams in the hub
    m_streamHub.reset();
    m_chatService.reset();
    m_database.reset();
}

std::optional<QString> ServerApp::start()
{
    m_signals = new ops::SignalWatcher(this);
    connect(m_signals, &ops::SignalWatcher::terminationRequested, this,
            &ServerApp::onTerminationSignal);
    connect(m_signals, &ops::SignalWatcher::reloadRequested, this, &ServerApp::onReloadSignal);

    if (m_config.tlsEnabled()) {
        QString error;
        m_tls =
            net::loadTls13ServerConfiguration(m_config.tlsCertFile, m_config.tlsKeyFile, &error);
        if (!m_tls)
            return error;
        logging::log(lcServer(), QtInfoMsg, QStringLiteral("TLS certificate"),
                     ops::TlsReloader::describe(*m_tls));
    }

    QString urlError;
    auto url = storage::DatabaseUrl::parse(m_config.databaseUrl, &urlError);
    if (!url)
        return QStringLiteral("DATABASE_URL: %1").arg(urlError);
    m_database = std::make_unique<storage::Database>(storage::DatabaseOptions{
        *url, m_config.databasePoolSize, m_config.blockingThreads, m_config.databaseTimeoutMs,
        m_config.sqliteFullSync, m_config.databaseQueueLimit});
    auto &queryDuration = m_metrics->histogram(QStringLiteral("db_query_duration_seconds"),
                                               QStringLiteral("Duration of database jobs."));
    auto &pool = m_metrics->gaugeFamily(QStringLiteral("db_pool_connections"),
                                        QStringLiteral("Database connections by state."),
                                        {QStringLiteral("state")});
    auto &openConnections = pool.labels({QStringLiteral("open")});
    auto &busyConnections = pool.labels({QStringLiteral("busy")});
    m_database->setQueryObserver(
        [&queryDuration](double seconds, bool) { queryDuration.observe(seconds); });
    m_database->setPoolObserver([&openConnections, &busyConnections](int open, int busy) {
        openConnections.set(open);
        busyConnections.set(busy);
    });
    ops::watchDatabaseWorkers(m_health->threads(), *m_database);
    auto &pendingJobs = m_metrics->gauge(QStringLiteral("db_jobs_pending"),
                                         QStringLiteral("Database jobs queued or running."));
    auto &refusedJobs = m_metrics->counter(
        QStringLiteral("db_jobs_refused_total"),
        QStringLiteral("Database jobs refused because DATABASE_QUEUE_LIMIT jobs were waiting."));
    m_metrics->addCollector(
        [database = m_database.get(), &pendingJobs, &refusedJobs, counted = qint64(0)]() mutable {
            pendingJobs.set(database->pendingJobs());
            const qint64 refused = database->refusedJobs();
            refusedJobs.inc(double(refused - counted));
            counted = refused;
        });
    logging::log(lcServer(), QtInfoMsg, QStringLiteral("opening database"),
                 {{QStringLiteral("database"), url->redacted()}});
    if (auto error = m_database->open())
        return QStringLiteral("database: %1").arg(*error);
    m_health->setMigrationsApplied(true);
    logging::log(lcServer(), QtInfoMsg, QStringLiteral("database ready"),
                 {{QStringLiteral("schema_version"), m_database->schemaVersion()},
                  {QStringLiteral("connections"), m_database->workerCount()}});

    m_readiness = new ops::ReadinessProbe(*m_database, *m_health, m_config.databaseTimeoutMs,
                                          kReadinessIntervalMs, this);
    m_readiness->start();
    // The main thread admits sources (StreamHub) and serves /metrics.
    m_mainHeartbeat =
        std::make_unique<ops::LoopHeartbeat>(m_health->threads().add(QStringLiteral("main")));

    if (m_config.metricsEnabled) {
        m_metricsEndpoint = new ops::MetricsEndpoint(*m_metrics, this);
        if (auto error = m_metricsEndpoint->listen(m_config.host, m_config.prometheusPort, m_tls))
            return error;
    }

    if (auto error = startChat())
        return error;
    const auto endpointsOfThread = [this](int index, QObject *threadContext) {
        return std::make_unique<endpoints::ServerEndpoints>(
            *m_endpoints, m_chatDeliveries.at(size_t(index)), threadContext);
    };
    if (auto error = m_network->start(endpointsOfThread))
        return error;
    if (m_clusterStreams) {
        // Before any queued claim or relay runs: this thread is still starting.
        const QByteArray advertised = cluster::advertiseUrl(
            m_config.advertiseUrl, m_config.host, m_network->httpPort(), m_config.tlsEnabled());
        m_clusterStreams->start(advertised);
        logging::log(lcServer(), QtInfoMsg,
                     QStringLiteral("several instances: live streams leased and relayed over "
                                    "redis"),
                     {{QStringLiteral("advertise_url"), QString::fromUtf8(advertised)},
                      {QStringLiteral("instance_id"), QString::fromUtf8(m_instanceId)}});
    }
    if (m_tls) {
        m_tlsReloader = std::make_unique<ops::TlsReloader>(
            m_config.tlsCertFile, m_config.tlsKeyFile, [this](const QSslConfiguration &tls) {
                m_tls = tls;
                m_network->setTlsConfiguration(tls);
                if (m_metricsEndpoint)
                    m_metricsEndpoint->setTlsConfiguration(tls);
            });
    }
    logListening();
    notifyReadyOnceReady();
    return std::nullopt;
}

std::optional<QString> ServerApp::startChat()
{
    QString keyError;
    std::optional<crypto::KeyRing> keys =
        crypto::KeyRing::create(m_config.encryptionKey, m_config.encryptionKeysPrevious, &keyError);
    if (!keys)
        return QStringLiteral("ENCRYPTION_KEY: %1").arg(keyError);
    // Ids only (derived, not secret): lets an operator match them with `veza-server rekey`'s
    // counts per key id before dropping a previous key.
    QStringList previousIds = keys->keyIds();
    previousIds.removeFirst();
    logging::log(lcServer(), QtInfoMsg, QStringLiteral("encryption keys"),
                 {{QStringLiteral("current_key_id"), keys->currentKeyId()},
                  {QStringLiteral("previous_key_ids"), previousIds.join(u',')}});
    auto cipher = std::make_shared<const crypto::MessageCipher>(std::move(*keys));
    m_chatMetrics = std::make_unique<chat::ChatMetrics>(*m_metrics);
    m_chatFigures = std::make_unique<chat::ChatFiguresSampler>(*m_chatMetrics, m_database.get());
    m_monitorFeed = std::make_unique<endpoints::MonitorFeed>();
    chat::ChatService::Options chatOptions;
    chatOptions.historyLimit = m_config.messageHistoryLimit;
    chatOptions.ratePerSecond = m_config.maxMessageRate;
    chatOptions.rateBurst = m_config.messageRateBurst;
    chatOptions.e2eAllowed = m_config.e2eEncryption != config::E2eMode::Disabled;
    chatOptions.e2eRequired = m_config.e2eEncryption == config::E2eMode::Required;
    chatOptions.roomsPerHour = m_config.roomsPerUserPerHour;
    chatOptions.maxSessionsPerUser = m_config.maxConnectionsPerUser;
    m_chatService =
        std::make_unique<chat::ChatService>(*m_database, cipher, chatOptions, *m_chatMetrics);

    m_serverBans = std::make_unique<moderation::ServerBans>();
    loadServerBans();
    m_chatService->setServerBans(m_serverBans.get());
    m_chatService->setModeratorEventsHook(
        [feed = m_monitorFeed.get()](const QByteArray &frame) { feed->publishFrame(frame); });

    endpoints::ChatEndpoint endpoint;
    endpoint.service = m_chatService.get();
    endpoint.tokens.secrets = {m_config.jwtSecret};
    if (!m_config.jwtSecretPrevious.isEmpty())
        endpoint.tokens.secrets.append(m_config.jwtSecretPrevious);
    endpoint.tokens.bans = m_serverBans.get();
    endpoint.tokens.issuer = m_config.jwtIssuer;
    endpoint.tokens.audience = m_config.jwtAudience;
    m_sessionsPerUser =
        std::make_unique<net::KeyedConnectionLimiter>(m_config.maxConnectionsPerUser);
    endpoint.tokens.sessionsPerUser = m_sessionsPerUser.get();
    endpoint.limits.maxMessageBytes = m_config.maxMessageSize;
    endpoint.metrics = m_chatMetrics.get();
    endpoint.pingIntervalMs = m_config.pingIntervalS * 1000;
    endpoint.pingTimeoutMs = m_config.pingTimeoutS * 1000;

    m_streamMetrics = std::make_unique<streaming::StreamMetrics>(*m_metrics);
    streaming::StreamHub::Options hubOptions;
    hubOptions.maxStreams = m_config.maxStreams;
    hubOptions.maxListenersPerStream = m_config.maxListenersPerStream;
    hubOptions.graceMs = m_config.streamSourceGraceS * 1000;
    hubOptions.burstMs = m_config.streamBurstMs;
    hubOptions.listenerHistoryDays = m_config.listenerHistoryDays;
    hubOptions.ownerRefusal = [bans = m_serverBans.get()](const QString &owner) {
        return bans->reasonFor(owner, QDateTime::currentMSecsSinceEpoch());
    };
    hubOptions.events = [feed = m_monitorFeed.get()](const QJsonObject &event) {
        feed->publish(event);
    };
    m_pipelineMetrics = std::make_unique<audio::PipelineMetrics>(*m_metrics);
    m_encodePool = std::make_unique<QThreadPool>();
    m_encodePool->setObjectName(QStringLiteral("veza-encode"));
    m_encodePool->setMaxThreadCount(QThread::idealThreadCount());
    hubOptions.processorFactory = [config = pipelineConfig(m_config),
                                   metrics = m_pipelineMetrics.get(),
                                   pool = m_encodePool.get()](const auto &stream) {
        return std::static_pointer_cast<streaming::StreamProcessor>(
            audio::AudioPipeline::start(*stream, config, *metrics, *pool));
    };
    m_streamHub =
        std::make_unique<streaming::StreamHub>(hubOptions, m_database.get(), *m_streamMetrics);

    m_streamSocketMetrics = std::make_unique<endpoints::StreamSocketMetrics>(*m_metrics);
    const endpoints::TokenCheck tokens = endpoint.tokens;
    m_endpoints = std::make_unique<endpoints::EndpointsContext>(endpoints::EndpointsContext{
        m_config, *m_health, m_database.get(), tokens, m_streamHub.get(), m_streamHub.get(),
        m_streamSocketMetrics.get(), std::move(endpoint), cipher});
    if (const std::optional<QString> error = startClusterStreams())
        return error;
    m_endpoints->monitorFeed = m_monitorFeed.get();
    m_endpoints->chatFigures = m_chatFigures.get();
    m_apiRateLimit = std::make_unique<net::KeyedRateLimiter>(m_config.rateLimitPerMinute);
    m_endpoints->apiRateLimit = m_apiRateLimit.get();
    net::NetworkThreads::Options options{
        m_config.workerThreads,
        m_config.host,
        m_config.port,
        m_config.wsPort,
        m_tls,
        m_config.maxHttpConnections,
        m_config.maxConnectionsPerIp,
        net::TrustedProxies::parse(m_config.trustedProxies, nullptr)
            .value_or(net::TrustedProxies{})};
    m_network = std::make_unique<net::NetworkThreads>(options, *m_limiter, *m_netMetrics);
    for (int i = 0; i < m_config.workerThreads; ++i) {
        m_network->adopt(i, new ops::LoopHeartbeat(
                                m_health->threads().add(QStringLiteral("veza-net-%1").arg(i))));
        auto *delivery = new endpoints::ChatDelivery(i, *m_chatMetrics);
        m_network->adopt(i, delivery);
        m_chatDeliveries.push_back(delivery);
    }
    m_chatOutbox = std::make_unique<endpoints::NetworkChatOutbox>(m_chatDeliveries);
    m_chatService->setOutbox(m_chatOutbox.get());

    m_chatThread = new QThread(this);
    m_chatThread->setObjectName(QStringLiteral("veza-chat"));
    m_chatThread->setEventDispatcher(new eventloop::EpollEventDispatcher);
    m_chatService->moveToThread(m_chatThread);
    auto *chatHeartbeat =
        new ops::LoopHeartbeat(m_health->threads().add(m_chatThread->objectName()));
    chatHeartbeat->moveToThread(m_chatThread);
    connect(m_chatThread, &QThread::finished, chatHeartbeat, &QObject::deleteLater);
    if (const std::optional<QString> error = startChatRelay())
        return error;
    m_chatThread->start();
    return std::nullopt;
}

// With REDIS_URL: the chat hears and tells the deployment's other instances (before the chat
// thread starts; the relay lives there, beside the service).
std::optional<QString> ServerApp::startChatRelay()
{
    if (m_config.redisUrl.isEmpty())
        return std::nullopt;
    redis::RedisConnection::Options options;
    if (std::optional<QString> error = redisOptions(m_config, "veza-" + m_instanceId, &options))
        return error;
    auto *relay = new cluster::RedisChatRelay(options, m_instanceId, *m_chatService);
    m_chatService->setRelay(relay);
    connect(relay, &cluster::RedisChatRelay::redisProblem, this, [this](const QString &problem) {
        redisHealth().report(QStringLiteral("chat"), problem);
    });
    relay->moveToThread(m_chatThread);
    connect(m_chatThread, &QThread::started, relay, &cluster::RedisChatRelay::start);
    // Deleted on its thread as it ends, before the service it calls into.
    connect(m_chatThread, &QThread::finished, relay, &QObject::deleteLater);
    shareChatState(options);
    logging::log(lcServer(), QtInfoMsg,
                 QStringLiteral("several instances: chat relayed over redis"),
                 {{QStringLiteral("redis"), options.url.redacted()},
                  {QStringLiteral("instance_id"), QString::fromUtf8(m_instanceId)}});
    return std::nullopt;
}

// With REDIS_URL: one source per mount across the deployment, relays of the streams other
// instances carry, and the deployment's streams in /api/streams (main thread, beside the hub).
std::optional<QString> ServerApp::startClusterStreams()
{
    if (m_config.redisUrl.isEmpty())
        return std::nullopt;
    cluster::ClusterStreams::Options options;
    if (std::optional<QString> error =
            redisOptions(m_config, "veza-" + m_instanceId + "-streams", &options.redis))
        return error;
    options.instanceId = m_instanceId;
    // A dead instance's mounts are free once a reconnecting source would have been taken back.
    options.leaseTtlMs = std::max(2000, m_config.streamSourceGraceS * 1000);
    m_clusterStreams = std::make_unique<cluster::ClusterStreams>(options, *m_streamHub, *m_metrics);
    connect(m_clusterStreams.get(), &cluster::ClusterStreams::redisProblem, this,
            [this](const QString &problem) {
                redisHealth().report(QStringLiteral("streams"), problem);
            });
    m_clusterDirectory =
        std::make_unique<cluster::ClusterStreamDirectory>(*m_streamHub, *m_clusterStreams);
    m_endpoints->cluster = m_clusterStreams.get();
    m_endpoints->streams = m_clusterDirectory.get();
    return std::nullopt;
}

cluster::RedisHealth &ServerApp::redisHealth()
{
    if (!m_redisHealth)
        m_redisHealth = std::make_unique<cluster::RedisHealth>(*m_health, *m_metrics);
    return *m_redisHealth;
}

// With REDIS_URL: presence, active users, MAX_CONNECTIONS_PER_USER and the per-user request
// budget across the deployment's instances. Chat thread, as the relay.
void ServerApp::shareChatState(const redis::RedisConnection::Options &options)
{
    auto *presence = new cluster::RedisPresence(options, m_instanceId, *m_chatService);
    m_chatService->setPresence(presence);
    auto *rates = new cluster::RedisRateShare(options, m_instanceId, m_config.maxMessageRate,
                                              m_config.messageRateBurst, *m_chatService);
    m_chatService->setSharedRateLimit(rates);
    for (QObject *shared : std::initializer_list<QObject *>{presence, rates}) {
        shared->moveToThread(m_chatThread);
        connect(m_chatThread, &QThread::finished, shared, &QObject::deleteLater);
    }
    connect(m_chatThread, &QThread::started, presence, &cluster::RedisPresence::start);
    connect(m_chatThread, &QThread::started, rates, &cluster::RedisRateShare::start);
}

// Before any connection is accepted (start-up waits, as it does for the migrations): the
// server-wide bans every endpoint checks at authentication.
void ServerApp::loadServerBans()
{
    try {
        const auto bans = m_database
                              ->run([](QSqlDatabase &db) {
                                  return moderation::ModerationStore::activeServerBans(
                                      db, QDateTime::currentMSecsSinceEpoch());
                              })
                              .result();
        QHash<QString, moderation::ServerBans::Ban> byUser;
        for (const auto &[user, until] : bans)
            byUser.insert(user, {until});
        m_serverBans->replaceAll(std::move(byUser));
    } catch (const std::exception &error) {
        // The chat still checks the database as each session opens.
        qCWarning(lcServer) << "server-wide bans not loaded:" << error.what();
    }
}

void ServerApp::stopChat()
{
    // Before the network threads go: the service must not post to their deliveries after.
    if (m_chatThread && m_chatThread->isRunning()) {
        m_chatThread->quit();
        m_chatThread->wait();
    }
}

void ServerApp::logListening() const
{
    const QString host = urlHost(m_config.host);
    const QString http = m_config.tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http");
    const QString ws = m_config.tlsEnabled() ? QStringLiteral("wss") : QStringLiteral("ws");
    QJsonObject fields{
        {QStringLiteral("http_url"),
         QStringLiteral("%1://%2:%3/").arg(http, host).arg(m_network->httpPort())},
        {QStringLiteral("websocket_url"),
         QStringLiteral("%1://%2:%3/").arg(ws, host).arg(m_network->webSocketPort())},
        {QStringLiteral("http_port"), m_network->httpPort()},
        {QStringLiteral("ws_port"), m_network->webSocketPort()},
        {QStringLiteral("network_threads"), m_config.workerThreads},
        {QStringLiteral("listen_backlog"), m_network->listenBacklog()},
        {QStringLiteral("tls"),
         m_config.tlsEnabled() ? QStringLiteral("TLS 1.3 only") : QStringLiteral("off")},
    };
    if (m_metricsEndpoint) {
        fields.insert(
            QStringLiteral("metrics_url"),
            QStringLiteral("%1://%2:%3/metrics").arg(http, host).arg(m_metricsEndpoint->port()));
        fields.insert(QStringLiteral("metrics_port"), m_metricsEndpoint->port());
    }
    logging::log(lcServer(), QtInfoMsg, QStringLiteral("listening"), fields);
}

// systemd (Type=notify) starts the units ordered after this one at READY=1: only once the ports
// listen and /health/ready answers 200 (the first database probe has answered).
void ServerApp::notifyReadyOnceReady()
{
    if (m_shuttingDown)
        return;
    if (!m_health->readinessProblems().isEmpty()) {
        connect(m_readiness, &ops::ReadinessProbe::settled, this, &ServerApp::notifyReadyOnceReady,
                Qt::SingleShotConnection);
        return;
    }
    ops::serviceManager::notifyReady(QStringLiteral("ready: http %1, ws %2")
                                         .arg(m_network->httpPort())
                                         .arg(m_network->webSocketPort()));
}

void ServerApp::onTerminationSignal(int signalNumber)
{
    if (m_shuttingDown)
        return; // armImmediateExit() handles any later signal
    ops::SignalWatcher::armImmediateExit();
    logging::log(lcServer(), QtInfoMsg, QStringLiteral("shutting down"),
                 {{QStringLiteral("signal"), signalNumber},
                  {QStringLiteral("timeout_s"), m_config.shutdownTimeoutS}});
    beginShutdown();
}

void ServerApp::onReloadSignal()
{
    if (m_shuttingDown)
        return;
    if (!m_tlsReloader) {
        qCInfo(lcServer) << "SIGHUP: nothing to reload (TLS_CERT_FILE and TLS_KEY_FILE are unset)";
        return;
    }
    m_tlsReloader->reload();
}

void ServerApp::beginShutdown()
{
    m_shuttingDown = true;
    // Readiness first, so the load balancer stops routing here while connections drain.
    m_health->setShuttingDown();
    ops::serviceManager::notifyStopping(m_config.shutdownTimeoutS);
    m_shutdownDeadline = QDeadlineTimer(m_config.shutdownTimeoutS * 1000LL);
    if (!m_network) {
        finishShutdown();
        return;
    }
    m_network->stopAccepting();
    m_network->closeWebSockets(net::ws::CloseCode::GoingAway,
                               QStringLiteral("server shutting down"));
    // Sources stop being read and leave; their streams end once the audio they sent is out,
    // and only then are their HTTP listeners closed, after their last bytes.
    if (m_streamHub)
        m_streamHub->beginDrain();
    if (m_clusterStreams)
        m_clusterStreams->stopRelays(); // their listeners reconnect to an instance that stays
    m_network->drainHttp();
    drainConnections();
}

void ServerApp::drainConnections()
{
    const int streams = m_streamHub ? m_streamHub->drainStep() : 0;
    const int webSockets = m_limiter->count();
    const int http = m_network->openHttpConnections();
    if (streams == 0 && webSockets == 0 && http == 0) {
        const qint64 elapsedMs =
            m_config.shutdownTimeoutS * 1000LL - m_shutdownDeadline.remainingTime();
        logging::log(lcServer(), QtInfoMsg, QStringLiteral("drained"),
                     {{QStringLiteral("elapsed_ms"), elapsedMs}});
        finishShutdown();
        return;
    }
    if (m_shutdownDeadline.hasExpired()) {
        logging::log(lcServer(), QtWarningMsg,
                     QStringLiteral("still open at the shutdown deadline: cut"),
                     {{QStringLiteral("live_streams"), streams},
                      {QStringLiteral("websocket_connections"), webSockets},
                      {QStringLiteral("http_connections"), http}});
        finishShutdown();
        return;
    }
    QTimer::singleShot(kDrainPollMs, this, [this] { drainConnections(); });
}

void ServerApp::finishShutdown()
{
    stopChat();
    if (m_network)
        m_network->stop();
    if (m_streamHub)
        m_streamHub->endAll(); // session rows ended before the database drains
    if (!audio::AudioPipeline::waitForAll(2000))
        qCWarning(lcServer) << "audio pipelines still running at exit";
    if (m_encodePool)
        m_encodePool->waitForDone(2000);
    if (m_database) {
        // Whatever was accepted is written before exit; at least a second even past the deadline.
        const int budget = std::max<qint64>(1000, m_shutdownDeadline.remainingTime());
        if (!m_database->waitForIdle(budget))
            qCWarning(lcServer) << "database jobs still pending at exit:"
                                << m_database->pendingJobs();
    }
    qCInfo(lcServer) << "shutdown complete";
    QCoreApplication::exit(0);
}

} // namespace veza
