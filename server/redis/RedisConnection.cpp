#include "redis/RedisConnection.h"

#include <QLoggingCategory>
#include <QSslConfiguration>
#include <QSslSocket>
#include <hiredis/hiredis.h>

Q_LOGGING_CATEGORY(lcRedis, "veza.redis")

namespace veza::redis {

namespace {
constexpr int kMaxRetryMs = 5000;
constexpr qint64 kMaxReadBufferBytes = 64 * 1024 * 1024; // one reply larger than this: drop

const QByteArray kNotReady = "not connected to redis";
} // namespace

RedisConnection::RedisConnection(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_retry(this) // children, so moveToThread() takes them along
    , m_watch(this)
{
    m_clock.start();
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &RedisConnection::connectNow);
    connect(&m_watch, &QTimer::timeout, this, &RedisConnection::checkAnswers);
}

RedisConnection::~RedisConnection()
{
    if (m_reader)
        redisReaderFree(m_reader);
    // Callers waiting are told; their objects may be going too, so nothing else is touched.
    for (Waiting &waiting : std::exchange(m_waiting, {})) {
        if (waiting.callback && !waiting.handshake)
            waiting.callback(RedisReply::localError(kNotReady));
    }
}

void RedisConnection::start()
{
    if (m_state == State::Idle && !m_retry.isActive())
        connectNow();
}

void RedisConnection::connectNow()
{
    delete m_socket;
    m_socket = new QSslSocket(this);
    if (m_reader)
        redisReaderFree(m_reader);
    m_reader = redisReaderCreate();
    m_pushMode = false;
    m_state = State::Connecting;
    m_connectStartedMs = m_clock.elapsed();
    m_watch.start(std::max(50, m_options.answerTimeoutMs / 10));
    connect(m_socket, &QSslSocket::readyRead, this, &RedisConnection::onReadable);
    connect(m_socket, &QSslSocket::disconnected, this,
            [this] { drop(QStringLiteral("connection closed by redis")); });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_state != State::Idle)
            drop(m_socket->errorString());
    });
    if (m_options.url.tls) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        if (!m_options.caCertificates.isEmpty())
            tls.addCaCertificates(m_options.caCertificates);
        m_socket->setSslConfiguration(tls);
        connect(m_socket, &QSslSocket::encrypted, this, &RedisConnection::onConnected);
        m_socket->connectToHostEncrypted(m_options.url.host, m_options.url.port);
    } else {
        connect(m_socket, &QSslSocket::connected, this, &RedisConnection::onConnected);
        m_socket->connectToHost(m_options.url.host, m_options.url.port);
    }
}

void RedisConnection::onConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    m_state = State::Handshaking;
    handshake();
}

// AUTH, SELECT and CLIENT SETNAME pipelined; ready once the last is answered, dropped (and
// tried again later) when one is refused.
void RedisConnection::handshake()
{
    QList<QByteArrayList> steps;
    const RedisUrl &url = m_options.url;
    if (!url.password.isEmpty()) {
        steps.append(url.user.isEmpty()
                         ? QByteArrayList{"AUTH", url.password.toUtf8()}
                         : QByteArrayList{"AUTH", url.user.toUtf8(), url.password.toUtf8()});
    }
    if (url.database != 0)
        steps.append({"SELECT", QByteArray::number(url.database)});
    if (!m_options.clientName.isEmpty())
        steps.append({"CLIENT", "SETNAME", m_options.clientName});
    steps.append({"PING"}); // the last answer says the handshake is over
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const bool last = i == steps.size() - 1;
        const QByteArray what = steps[i].first();
        write(steps[i]);
        m_waiting.push_back(
            {[this, last, what](const RedisReply &reply) {
                 if (reply.isError()) {
                     // The password never reaches the log.
                     drop(QStringLiteral("%1 refused: %2")
                              .arg(QString::fromLatin1(what), QString::fromUtf8(reply.text)));
                     return;
                 }
                 if (!last)
                     return;
                 m_state = State::Ready;
                 m_lastHeardMs = m_clock.elapsed();
                 m_problem.clear();
                 m_retryMs = 100;
                 m_problemLogged = false;
                 qCInfo(lcRedis).noquote() << "connected to" << m_options.url.redacted();
                 emit ready();
             },
             m_clock.elapsed(), true});
    }
}

void RedisConnection::command(const QByteArrayList &args, Callback callback)
{
    if (m_state != State::Ready) {
        if (callback)
            callback(RedisReply::localError(kNotReady));
        return;
    }
    if (qsizetype(m_waiting.size()) >= m_options.maxWaiting) {
        if (callback)
            callback(RedisReply::localError("too many redis commands waiting"));
        return;
    }
    write(args);
    m_waiting.push_back({std::move(callback), m_clock.elapsed(), false});
}

void RedisConnection::commandWithoutAnswer(const QByteArrayList &args)
{
    if (m_state != State::Ready)
        return;
    m_pushMode = true;
    write(args);
}

void RedisConnection::write(const QByteArrayList &args)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(args.size()));
    lengths.reserve(size_t(args.size()));
    for (const QByteArray &arg : args) {
        argv.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    char *formatted = nullptr;
    const int length =
        redisFormatCommandArgv(&formatted, int(argv.size()), argv.data(), lengths.data());
    if (length < 0)
        return drop(QStringLiteral("cannot format a redis command"));
    m_socket->write(formatted, length);
    redisFreeCommand(formatted);
}

void RedisConnection::onReadable()
{
    m_lastHeardMs = m_clock.elapsed();
    const QByteArray bytes = m_socket->readAll();
    if (redisReaderFeed(m_reader, bytes.constData(), size_t(bytes.size())) != REDIS_OK)
        return drop(QStringLiteral("unreadable answer from redis"));
    for (;;) {
        void *raw = nullptr;
        if (redisReaderGetReply(m_reader, &raw) != REDIS_OK)
            return drop(QStringLiteral("unreadable answer from redis"));
        if (!raw)
            break;
        const RedisReply reply = RedisReply::fromHiredis(raw);
        freeReplyObject(raw);
        answer(reply);
        if (!m_reader) // dropped while answering
            return;
    }
    if (m_socket && m_socket->bytesAvailable() > kMaxReadBufferBytes)
        drop(QStringLiteral("redis answer too large"));
}

bool RedisConnection::isPush(const RedisReply &reply) const
{
    if (!m_pushMode || reply.type != RedisReply::Type::Array || reply.elements.isEmpty())
        return false;
    const QByteArray kind = reply.elements.first().text;
    return kind == "message" || kind == "pmessage" || kind == "subscribe" ||
           kind == "unsubscribe" || kind == "psubscribe" || kind == "punsubscribe";
}

void RedisConnection::answer(const RedisReply &reply)
{
    if (isPush(reply)) {
        if (m_pushHandler)
            m_pushHandler(reply);
        return;
    }
    if (m_waiting.empty())
        return drop(QStringLiteral("an answer nobody asked for"));
    Waiting waiting = std::move(m_waiting.front());
    m_waiting.pop_front();
    if (waiting.callback)
        waiting.callback(reply);
}

void RedisConnection::checkAnswers()
{
    const qint64 now = m_clock.elapsed();
    if (m_state == State::Connecting && now - m_connectStartedMs > m_options.answerTimeoutMs)
        return drop(QStringLiteral("no connection within %1 ms").arg(m_options.answerTimeoutMs));
    if (!m_waiting.empty() && now - m_waiting.front().sentAtMs > m_options.answerTimeoutMs)
        return drop(QStringLiteral("no answer within %1 ms").arg(m_options.answerTimeoutMs));
    // A quiet connection (a subscriber's, between messages) is asked for a sign of life, so a
    // Redis that vanished without closing is noticed within two timeouts.
    if (m_state == State::Ready && m_waiting.empty() &&
        now - m_lastHeardMs > m_options.answerTimeoutMs)
        command({"PING"}, [](const RedisReply &) {});
}

void RedisConnection::drop(const QString &why)
{
    if (m_state == State::Idle)
        return;
    const bool wasReady = m_state == State::Ready;
    m_state = State::Idle;
    m_problem = why;
    m_watch.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    if (m_reader) {
        redisReaderFree(m_reader);
        m_reader = nullptr;
    }
    // One warning per outage; the attempts after it only at debug level.
    if (!std::exchange(m_problemLogged, true))
        qCWarning(lcRedis).noquote()
            << (wasReady ? "lost" : "cannot reach") << m_options.url.redacted() << "-" << why;
    else
        qCDebug(lcRedis).noquote() << "cannot reach" << m_options.url.redacted() << "-" << why;
    m_retry.start(m_retryMs);
    m_retryMs = std::min(kMaxRetryMs, m_retryMs * 2);
    for (Waiting &waiting : std::exchange(m_waiting, {})) {
        if (waiting.callback && !waiting.handshake)
            waiting.callback(RedisReply::localError(kNotReady));
    }
    emit lost(why);
}

} // namespace veza::redis
