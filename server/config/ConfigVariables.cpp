#include "config/ConfigVariables.h"

#include <array>

namespace veza::config {
namespace {
using L = QLatin1StringView;
constexpr Activity kLater = Activity::NotActiveYet;

// Names and defaults follow the production guide's "Variables d'Environnement" block; the
// additions at the end follow the same style.
const std::array kVariables{
    ConfigVariable{L("CORE"), L("RUST_LOG"), L("info"),
                   L("Log level: error, warn, info, debug or trace, optionally with per-module "
                     "overrides such as `info,veza.storage=debug`. Kept for compatibility with "
                     "the guide; LOG_LEVEL wins when both are set.")},
    ConfigVariable{L("CORE"), L("LOG_LEVEL"), L(""),
                   L("Same syntax as RUST_LOG; takes precedence over it.")},
    ConfigVariable{L("CORE"), L("ENVIRONMENT"), L("development"),
                   L("`development` or `production` (also `staging`, treated like production). "
                     "Production refuses to start without real JWT_SECRET and ENCRYPTION_KEY.")},
    ConfigVariable{L("CORE"), L("SERVICE_NAME"), L("veza-server"),
                   L("Name written in every log line and in /health/live.")},
    ConfigVariable{L("CORE"), L("VERSION"), L(""),
                   L("Version label for logs and health; defaults to the binary's own version.")},

    ConfigVariable{L("NETWORK"), L("HOST"), L("0.0.0.0"),
                   L("Address every listener binds to (IPv4 or IPv6 literal).")},
    ConfigVariable{L("NETWORK"), L("PORT"), L("8080"),
                   L("HTTP API and health checks. 0 picks a free port (tests).")},
    ConfigVariable{L("NETWORK"), L("WS_PORT"), L("8081"),
                   L("WebSocket endpoint. 0 picks a free port.")},
    ConfigVariable{L("NETWORK"), L("GRPC_PORT"), L("50051"), L("gRPC API port."), kLater},
    ConfigVariable{L("NETWORK"), L("ADVERTISE_URL"), L(""),
                   L("`http://host:port` (or `https://`) where the deployment's other instances "
                     "reach this one's PORT, to relay the live streams it carries (REDIS_URL). "
                     "Unset: `http://HOST:PORT`, or with HOST a wildcard this machine's first "
                     "non-loopback address.")},

    ConfigVariable{L("DATABASE"), L("DATABASE_URL"), L("sqlite://var/veza.db"),
                   L("`sqlite:///absolute/path.db`, `sqlite://relative/path.db` or "
                     "`postgresql://user:password@host:port/database`.")},
    ConfigVariable{L("DATABASE"), L("DATABASE_POOL_SIZE"), L("100"),
                   L("Maximum database connections (PostgreSQL; capped by BLOCKING_THREADS). "
                     "SQLite uses one writer connection.")},
    ConfigVariable{L("DATABASE"), L("DATABASE_TIMEOUT_MS"), L("5000"),
                   L("Connect and statement timeout; /health/ready fails when the database "
                     "does not answer within it.")},
    ConfigVariable{L("DATABASE"), L("DATABASE_QUEUE_LIMIT"), L("10000"),
                   L("Database jobs waiting at once; past it requests are answered unavailable "
                     "at once (HTTP 503 with Retry-After, chat `internal` with retry_after_ms) "
                     "and /health/ready fails. 0: no bound.")},
    ConfigVariable{L("DATABASE"), L("SQLITE_SYNCHRONOUS"), L("normal"),
                   L("SQLite only. `normal`: a commit survives a crash of veza-server (WAL); a "
                     "power loss or a kernel crash may lose the last commits. `full`: every "
                     "commit is flushed to the disk before it is acknowledged, so it survives "
                     "those too, at one disk flush per commit (docs/operations.md, Durability). "
                     "PostgreSQL always commits to disk (its `synchronous_commit`).")},

    ConfigVariable{L("REDIS"), L("REDIS_URL"), L(""),
                   L("`redis://[user:password@]host[:port][/db]` (`rediss://` for TLS): the Redis "
                     "the instances of a deployment share. Unset: this server runs alone."),
                   Activity::Active, true},
    ConfigVariable{L("REDIS"), L("REDIS_TLS_CA_FILE"), L(""),
                   L("PEM certificates trusted for a `rediss://` REDIS_URL besides the system's "
                     "(a private CA).")},
    ConfigVariable{L("REDIS"), L("REDIS_POOL_SIZE"), L("50"),
                   L("Redis connections. Not needed: an instance holds five, one per job (chat "
                     "publishing, chat subscriptions, presence, rate sharing, streams), each "
                     "pipelining its commands without waiting; Redis runs commands on one "
                     "thread, so more connections would not add throughput."),
                   Activity::NotNeeded},
    ConfigVariable{L("REDIS"), L("REDIS_TTL_DEFAULT"), L("3600"),
                   L("Default TTL of cached keys, seconds. Not needed: nothing is cached in "
                     "Redis, and every key the deployment writes expires on its own within 30 s "
                     "of the last instance's last write (docs/operations.md, Several "
                     "instances)."),
                   Activity::NotNeeded},

    ConfigVariable{L("MONITORING"), L("PROMETHEUS_PORT"), L("9090"),
                   L("Port of the Prometheus `/metrics` endpoint. 0 picks a free port.")},
    ConfigVariable{L("MONITORING"), L("JAEGER_ENDPOINT"), L(""),
                   L("Jaeger collector URL for traces."), kLater},
    ConfigVariable{L("MONITORING"), L("METRICS_ENABLED"), L("true"),
                   L("Serve `/metrics` on PROMETHEUS_PORT.")},
    ConfigVariable{L("MONITORING"), L("TRACING_ENABLED"), L("true"),
                   L("Export traces to JAEGER_ENDPOINT."), kLater},

    ConfigVariable{L("PERFORMANCE"), L("MAX_CONNECTIONS"), L("100000"),
                   L("WebSocket connections accepted at once across all network threads; the "
                     "next one is refused with HTTP 503.")},
    ConfigVariable{L("PERFORMANCE"), L("MAX_HTTP_CONNECTIONS"), L("100000"),
                   L("HTTP connections (API requests and audio listeners) open at once across all "
                     "network threads; the next one is answered 503 with Retry-After and closed.")},
    ConfigVariable{L("PERFORMANCE"), L("MAX_CONNECTIONS_PER_IP"), L("1000"),
                   L("Connections one client address may hold at once, HTTP and WebSocket "
                     "together; the next one is answered 429 with Retry-After. 0: no cap.")},
    ConfigVariable{L("PERFORMANCE"), L("MAX_CONNECTIONS_PER_USER"), L("50"),
                   L("WebSocket sessions one user (a token's `sub`) may hold at once on this "
                     "server (/chat, /monitor, /, /ingest with a token); the next one gets "
                     "`rate_limited` and close code 4429. 0: no cap.")},
    ConfigVariable{L("PERFORMANCE"), L("WORKER_THREADS"), L(""),
                   L("Network threads, each with its own epoll loop and listeners. Default: "
                     "the number of CPU cores.")},
    ConfigVariable{L("PERFORMANCE"), L("BLOCKING_THREADS"), L("32"),
                   L("Threads for database and codec work (never on network threads).")},
    ConfigVariable{L("PERFORMANCE"), L("MEMORY_LIMIT_MB"), L("8192"),
                   L("Memory budget. `memory_usage_percent` follows the container's memory "
                     "limit (cgroup v2), else the machine's memory, not this."),
                   kLater},

    ConfigVariable{L("SECURITY"), L("JWT_SECRET"), L(""),
                   L("HS256 secret for access tokens. Required in production (at least 32 "
                     "bytes); generated into DATA_DIR in development."),
                   Activity::Active, true},
    ConfigVariable{L("SECURITY"), L("JWT_SECRET_PREVIOUS"), L(""),
                   L("Previous JWT secret, still accepted during a key rotation."),
                   Activity::Active, true},
    ConfigVariable{L("SECURITY"), L("JWT_ISSUER"), L(""),
                   L("When set, tokens must carry this `iss`; `veza-server token` puts it in.")},
    ConfigVariable{L("SECURITY"), L("JWT_AUDIENCE"), L(""),
                   L("When set, tokens must name this audience in `aud` (a string or an array); "
                     "`veza-server token` puts it in.")},
    ConfigVariable{L("SECURITY"), L("ENCRYPTION_KEY"), L(""),
                   L("AES-256 key for data at rest: 64 hex digits or base64 of 32 bytes. "
                     "Required in production; generated into DATA_DIR in development."),
                   Activity::Active, true},
    ConfigVariable{L("SECURITY"), L("ENCRYPTION_KEYS_PREVIOUS"), L(""),
                   L("Older encryption keys, comma-separated, each in ENCRYPTION_KEY's form. Only "
                     "read rows sealed before a rotation; `veza-server rekey` moves those rows "
                     "to ENCRYPTION_KEY, after which the old key can be removed "
                     "(docs/encryption.md)."),
                   Activity::Active, true},
    ConfigVariable{L("SECURITY"), L("RATE_LIMIT_PER_MINUTE"), L("1000"),
                   L("HTTP API (/api/) requests per minute per user (valid token) or client "
                     "address (none); the next one gets 429 with Retry-After. 0: no limit.")},
    ConfigVariable{L("SECURITY"), L("ENABLE_CORS"), L("true"),
                   L("Answer CORS preflights and add Access-Control-* headers to the HTTP API "
                     "for ALLOWED_ORIGINS.")},
    ConfigVariable{L("SECURITY"), L("ALLOWED_ORIGINS"),
                   L("https://veza.live,https://app.veza.live"),
                   L("Comma-separated origins allowed by CORS and for browser WebSockets "
                     "(`*` allows any)."),
                   Activity::Active},
    ConfigVariable{L("SECURITY"), L("TRUSTED_PROXIES"), L(""),
                   L("Comma-separated addresses and CIDR ranges of the load balancers in front: "
                     "their X-Forwarded-For gives the client's address (logs, listeners, rate "
                     "and connection limits) and their own connections are not counted per "
                     "address. Empty: nobody's header is believed.")},
    ConfigVariable{L("SECURITY"), L("TLS_CERT_FILE"), L(""),
                   L("PEM certificate chain. With TLS_KEY_FILE, every listener speaks TLS 1.3 "
                     "only.")},
    ConfigVariable{L("SECURITY"), L("TLS_KEY_FILE"), L(""), L("PEM private key for TLS_CERT_FILE."),
                   Activity::Active, true},

    ConfigVariable{L("AUDIO STREAMING"), L("MAX_STREAMS"), L("10000"),
                   L("Live streams at once; the next source gets HTTP 503 (`max_streams`).")},
    ConfigVariable{L("AUDIO STREAMING"), L("MAX_STREAMS_PER_USER"), L("20"),
                   L("Streams one user may own; creating another is answered 403 until one is "
                     "deleted. Admins are not capped. 0: no cap.")},
    ConfigVariable{L("AUDIO STREAMING"), L("MAX_LISTENERS_PER_STREAM"), L("10000"),
                   L("Listeners per stream; the next listener gets HTTP 503 (`max_listeners`).")},
    ConfigVariable{L("AUDIO STREAMING"), L("STREAM_BURST_MS"), L("1000"),
                   L("Recent audio a new HTTP listener gets at once, so its player starts "
                     "without waiting (0..10000 ms; at most 256 KiB).")},
    ConfigVariable{L("AUDIO STREAMING"), L("LISTENER_HISTORY_DAYS"), L("90"),
                   L("Days a listener's visit stays in the stream's listener history (0..36500; "
                     "0 keeps them all). Older ones are deleted every hour.")},
    ConfigVariable{L("AUDIO STREAMING"), L("STREAM_SOURCE_GRACE_S"), L("10"),
                   L("Seconds a stream stays live after its source disconnects (0..3600): "
                     "listeners stay connected and the source may come back.")},
    ConfigVariable{L("AUDIO STREAMING"), L("ADAPTIVE_BITRATE"), L("true"),
                   L("Whether a WebSocket listener (`/listen`) that picks no rung is adaptive: "
                     "moved down the Opus ladder when it falls behind, back up when it catches "
                     "up (`?adaptive=` overrides). `false`: it stays on the DEFAULT_BITRATE rung "
                     "and is dropped with 1013 when too slow for it.")},
    ConfigVariable{
        L("AUDIO STREAMING"), L("DEFAULT_BITRATE"), L("128"),
        L("Encoding bitrate of MP3, AAC and the default Opus rendition, kbit/s "
          "(32..320, what every encoder accepts); the Opus ladder is 32, 64, 96 and this.")},
    ConfigVariable{L("AUDIO STREAMING"), L("CODECS_ENABLED"), L("opus,aac,mp3"),
                   L("Comma-separated subset of `opus`, `aac`, `mp3`: the renditions offered "
                     "(`/live/{name}.opus`, `.aac`, `.mp3`).")},

    ConfigVariable{L("CHAT"), L("MAX_MESSAGE_SIZE"), L("8192"),
                   L("Largest chat message body, bytes.")},
    ConfigVariable{L("CHAT"), L("MESSAGE_HISTORY_LIMIT"), L("1000"),
                   L("Most messages one history request returns.")},
    ConfigVariable{L("CHAT"), L("MAX_MESSAGE_RATE"), L("100"),
                   L("Messages per second each user may send (token bucket shared by all the "
                     "user's connections); beyond it: `rate_limited` with `retry_after_ms`.")},
    ConfigVariable{L("CHAT"), L("ROOMS_PER_USER_PER_HOUR"), L("20"),
                   L("Rooms one user may create in an hour; beyond it: `rate_limited` with "
                     "`retry_after_ms`. Admins are not capped. 0: no cap.")},
    ConfigVariable{L("CHAT"), L("MESSAGE_RATE_BURST"), L("100"),
                   L("Messages a user may send at once after being quiet (the bucket's size).")},
    ConfigVariable{L("CHAT"), L("PING_INTERVAL_S"), L("25"),
                   L("Seconds between the server's WebSocket pings to each chat connection.")},
    ConfigVariable{L("CHAT"), L("PING_TIMEOUT_S"), L("60"),
                   L("A chat connection that shows no sign of life (pong or frame) for this long "
                     "is closed.")},
    ConfigVariable{L("CHAT"), L("MODERATION_ENABLED"), L("true"), L("Moderator actions."), kLater},
    ConfigVariable{L("CHAT"), L("E2E_ENCRYPTION"), L("optional"),
                   L("`disabled`, `optional` or `required` end-to-end encrypted rooms.")},

    ConfigVariable{L("OPERATIONS"), L("DATA_DIR"), L("var"),
                   L("Directory for generated development secrets and local data (created if "
                     "missing).")},
    ConfigVariable{L("OPERATIONS"), L("SHUTDOWN_TIMEOUT_S"), L("30"),
                   L("Seconds that open connections get to finish after SIGTERM/SIGINT.")},
};
} // namespace

std::span<const ConfigVariable> configVariables()
{
    return kVariables;
}

const ConfigVariable *findConfigVariable(QLatin1StringView name)
{
    for (const ConfigVariable &variable : kVariables) {
        if (variable.name == name)
            return &variable;
    }
    return nullptr;
}

} // namespace veza::config
