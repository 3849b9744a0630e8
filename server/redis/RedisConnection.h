#pragma once

#include "redis/RedisReply.h"
#include "redis/RedisUrl.h"

#include <QByteArrayList>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QTimer>
#include <deque>
#include <functional>

class QSslSocket;
struct redisReader;

namespace veza::redis {

// One connection to Redis on the owning thread's event loop: connects (TLS for rediss://),
// authenticates (AUTH with the ACL user, or the password alone), selects the database, names
// itself, then pipelines commands, each answered in order through its callback. Lost, it
// reconnects on its own (100 ms doubling to 5 s). Nothing ever waits: a command while the
// connection is not ready, or past `maxWaiting` unanswered ones, is answered at once with a
// local error, and commands still waiting when the connection drops are answered with one, so
// callers never hang and memory stays bounded. A command unanswered for `answerTimeoutMs`
// means Redis is stuck: the connection is dropped and made again; a connection quiet that long
// is pinged, so one whose Redis vanished without a word is noticed too.
class RedisConnection : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const RedisReply &reply)>;

    struct Options
    {
        RedisUrl url;
        QByteArray clientName;                 // CLIENT SETNAME, seen in CLIENT LIST
        QList<QSslCertificate> caCertificates; // rediss://: trusted besides the system's
        int answerTimeoutMs = 5000;            // also bounds connecting
        int maxWaiting = 100000;               // unanswered commands
    };

    explicit RedisConnection(Options options, QObject *parent = nullptr);
    ~RedisConnection() override;

    // Connects, and keeps connecting whenever the connection is lost.
    void start();
    bool isReady() const { return m_state == State::Ready; }
    // Why the connection is not ready (empty while it is).
    QString problem() const { return m_problem; }

    void command(const QByteArrayList &args, Callback callback = {});
    // A command whose answers come as pushes (SUBSCRIBE, UNSUBSCRIBE): nothing waits for them.
    void commandWithoutAnswer(const QByteArrayList &args);
    // Receives the replies no command waits for: pub/sub's pushes ("message", "subscribe").
    void setPushHandler(std::function<void(const RedisReply &push)> handler)
    {
        m_pushHandler = std::move(handler);
    }

signals:
    void ready();
    void lost(const QString &why);

private:
    enum class State : quint8 { Idle, Connecting, Handshaking, Ready };
    struct Waiting
    {
        Callback callback;
        qint64 sentAtMs;
        bool handshake;
    };

    void connectNow();
    void onConnected();
    void onReadable();
    void handshake();
    void write(const QByteArrayList &args);
    bool isPush(const RedisReply &reply) const;
    void answer(const RedisReply &reply);
    void drop(const QString &why);
    void checkAnswers();

    const Options m_options;
    QSslSocket *m_socket = nullptr;
    redisReader *m_reader = nullptr;
    std::deque<Waiting> m_waiting;
    std::function<void(const RedisReply &)> m_pushHandler;
    bool m_pushMode = false; // SUBSCRIBE was sent: pushes come between answers
    State m_state = State::Idle;
    QString m_problem = QStringLiteral("not connected yet");
    int m_retryMs = 100;
    bool m_problemLogged = false;
    QTimer m_retry;
    QTimer m_watch; // answers overdue, connecting too long
    QElapsedTimer m_clock;
    qint64 m_connectStartedMs = 0;
    qint64 m_lastHeardMs = 0; // the last bytes from Redis
};

} // namespace veza::redis
