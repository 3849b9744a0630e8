// The HTTP/1.1 server on the wire, in process: keep-alive, pipelining in order, Connection:
// close, protocol errors (400, 413, 431, 501), 100-continue, answers given later (also to a
// client that left meanwhile), routing (404, 405, HEAD, prefixes) and the idle timeout.
#include "net/ListenSocket.h"
#include "net/http/HttpRouter.h"
#include "net/http/HttpServer.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <memory>
#include <vector>

using namespace veza::net;
using namespace veza::net::http;

namespace {

struct Reply
{
    int status = 0; // 0: none
    QByteArray head;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 &&
                QByteArrayView(line).first(colon).compare(name, Qt::CaseInsensitive) == 0)
                return line.sliced(colon + 1).trimmed();
        }
        return {};
    }
};

// A blocking client on the test thread (the server runs on its own).
class Client
{
public:
    explicit Client(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(3000);
    }

    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.waitForBytesWritten(3000);
    }

    Reply get(const QByteArray &path, const QByteArray &extra = {})
    {
        send("GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n");
        return read();
    }

    // One response (a HEAD answer has no body whatever its Content-Length says).
    Reply read(bool headOnly = false, int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end >= 0) {
                Reply reply;
                reply.head = m_buffer.first(end);
                const qsizetype length = headOnly ? 0 : reply.header("Content-Length").toLongLong();
                if (m_buffer.size() >= end + 4 + length) {
                    reply.status = reply.head.mid(9, 3).toInt();
                    reply.body = m_buffer.mid(end + 4, length);
                    m_buffer.remove(0, end + 4 + length);
                    return reply;
                }
            }
            if (deadline.hasExpired() || !m_socket.waitForReadyRead(int(deadline.remainingTime())))
                return {};
            m_buffer += m_socket.readAll();
        }
    }

    // Whether the server ended the connection (everything it sent is kept for read()).
    bool waitClosed(int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (m_socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
            m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
            m_buffer += m_socket.readAll();
        }
        return m_socket.state() != QAbstractSocket::ConnectedState;
    }

    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

HttpResponse text(const QByteArray &body)
{
    return {200, "text/plain", body, {}};
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

public:
    TestHttpServer() { m_context.moveToThread(&m_thread); }

private Q_SLOTS:
    void initTestCase()
    {
        m_thread.start();
        QMetaObject::invokeMethod(
            &m_context, [this] { startServer(); }, Qt::BlockingQueuedConnection);
        QVERIFY(m_port != 0);
    }

    // The once-a-second sweep (idle timeouts) visits a slice of the connections every 100 ms,
    // not all of them at once: 19,000 HTTP listeners held the thread for milliseconds.
    void sweepVisitsASliceAtATime()
    {
        constexpr int kClients = 40;
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<QTcpSocket>());
            clients.back()->connectToHost(QHostAddress::LocalHost, m_port);
            QVERIFY(clients.back()->waitForConnected(2000));
        }
        const auto lastStep = [this] {
            int visited = 0;
            QMetaObject::invokeMethod(
                &m_context, [this, &visited] { visited = m_server->lastSweepVisited(); },
                Qt::BlockingQueuedConnection);
            return visited;
        };
        int seenMax = 0;
        QElapsedTimer watch;
        watch.start();
        while (watch.elapsed() < 1500) {
            QTest::qWait(10);
            seenMax = std::max(seenMax, lastStep());
        }
        QVERIFY2(seenMax > 0, "the sweep never ran");
        // A tenth, plus the odd connection left from other cases.
        QVERIFY2(seenMax <= kClients / 10 + 3, qPrintable(QString::number(seenMax)));
        // The idle timeout (1 s here) still reaches every connection.
        for (auto &client : clients)
            QTRY_VERIFY_WITH_TIMEOUT(client->state() == QAbstractSocket::UnconnectedState, 3000);
    }

    void cleanupTestCase()
    {
        QMetaObject::invokeMethod(
            &m_context, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    void keepAliveServesTwoRequestsOnOneConnection()
    {
        Client client(m_port);
        const Reply first = client.get("/hello");
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, QByteArray("hello"));
        QVERIFY(first.header("Connection").isEmpty());
        const Reply second = client.get("/hello");
        QCOMPARE(second.status, 200);
        QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
    }

    void pipelinedRequestsAreAnsweredInOrder()
    {
        Client client(m_port);
        client.send("GET /later?ms=200&tag=a HTTP/1.1\r\nHost: t\r\n\r\n"
                    "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                    "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
        QCOMPARE(client.read().body, QByteArray("later a"));
        QCOMPARE(client.read().body, QByteArray("hello"));
        QCOMPARE(client.read().body, QByteArray("abc"));
    }

    void connectionCloseIsHonoured()
    {
        Client client(m_port);
        const Reply reply = client.get("/hello", "Connection: close\r\n");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("Connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());

        Client old(m_port); // HTTP/1.0 closes unless asked to keep alive
        old.send("GET /hello HTTP/1.0\r\n\r\n");
        QCOMPARE(old.read().status, 200);
        QVERIFY(old.waitClosed());
        Client kept(m_port);
        kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        QCOMPARE(kept.read().header("Connection"), QByteArray("keep-alive"));
        QCOMPARE(kept.get("/hello").status, 200);
    }

    void protocolErrorsAnswerAndClose_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("NOT HTTP AT ALL\r\n\r\n") << 400;
        QTest::newRow("head too large")
            << QByteArray("GET / HTTP/1.1\r\nHost: t\r\nX: " + QByteArray(20000, 'x') + "\r\n\r\n")
            << 431;
        QTest::newRow("body too large")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n")
            << 413;
        QTest::newRow("chunked")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
            << 501;
        QTest::newRow("version") << QByteArray("GET / HTTP/3.0\r\nHost: t\r\n\r\n") << 505;
    }

    void protocolErrorsAnswerAndClose()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        Client client(m_port);
        client.send(request);
        const Reply reply = client.read();
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.header("Connection"), QByteArray("close"));
        QCOMPARE(reply.header("Content-Type"), QByteArray("application/json"));
        QVERIFY(client.waitClosed());
    }

    void expectContinueIsAnswered()
    {
        Client client(m_port);
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
                    "Expect: 100-continue\r\n\r\n");
        QCOMPARE(client.read().status, 100);
        client.send("ping");
        const Reply reply = client.read();
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, QByteArray("ping"));
    }

    void asyncAnswerArrivesLater()
    {
        Client client(m_port);
        QElapsedTimer timer;
        timer.start();
        const Reply reply = client.get("/later?ms=300&tag=x");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, QByteArray("later x"));
        QVERIFY(timer.elapsed() >= 250);
    }

    void clientLeavingBeforeTheAnswerIsHarmless()
    {
        const int droppedBefore = m_dropped.load();
        {
            Client client(m_port);
            client.send("GET /later?ms=300&tag=gone HTTP/1.1\r\nHost: t\r\n\r\n");
            client.socket().waitForBytesWritten(1000);
            QTest::qWait(50);
            client.socket().abort();
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_dropped.load(), droppedBefore + 1, 3000);
        Client next(m_port);
        QCOMPARE(next.get("/hello").status, 200);
    }

    void forgottenAnswerIs500()
    {
        Client client(m_port);
        QCOMPARE(client.get("/forgotten").status, 500);
        QCOMPARE(client.get("/hello").status, 200); // the connection goes on
    }

    void routing()
    {
        Client client(m_port);
        const Reply missing = client.get("/no/such?x=1");
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.body, QByteArray("{\"error\":\"not_found\",\"path\":\"/no/such\"}"));

        client.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n");
        const Reply wrongMethod = client.read();
        QCOMPARE(wrongMethod.status, 405);
        QCOMPARE(wrongMethod.header("Allow"), QByteArray("GET, HEAD"));

        client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n");
        const Reply head = client.read(true);
        QCOMPARE(head.status, 200);
        QCOMPARE(head.header("Content-Length"), QByteArray("5"));
        QCOMPARE(client.get("/hello").body, QByteArray("hello")); // nothing left over

        QCOMPARE(client.get("/live/radio").body, QByteArray("stream radio"));
        client.send("SOURCE /live/ingest HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        QCOMPARE(client.read().body, QByteArray("source"));
        QCOMPARE(client.get("/live/ingest").status, 405);
    }

    void idleConnectionsAreClosed()
    {
        Client client(m_port);
        QCOMPARE(client.get("/hello").status, 200);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(client.waitClosed(5000));
        QVERIFY(timer.elapsed() >= 900);
    }

private:
    void startServer()
    {
        QString error;
        const auto listener = ListenSocket::open(QHostAddress::LocalHost, 0, 64, &error);
        if (!listener)
            return;
        m_router.add("GET", "/hello",
                     [](const HttpRequest &, HttpResponder r) { r.send(text("hello")); });
        m_router.add("POST", "/echo", [](const HttpRequest &request, HttpResponder r) {
            r.send(text(request.body));
        });
        m_router.add("GET", "/later", [this](const HttpRequest &request, HttpResponder r) {
            auto shared = std::make_shared<HttpResponder>(std::move(r));
            const QByteArray tag = request.queryItem("tag");
            QTimer::singleShot(request.queryItem("ms").toInt(), &m_context, [this, shared, tag] {
                if (!shared->connected())
                    ++m_dropped;
                shared->send(text("later " + tag));
            });
        });
        m_router.add("GET", "/forgotten", [](const HttpRequest &, HttpResponder) {});
        m_router.addPrefix("GET", "/live/", [](const HttpRequest &request, HttpResponder r) {
            r.send(text("stream " + request.path().mid(6)));
        });
        m_router.add("SOURCE", "/live/ingest",
                     [](const HttpRequest &, HttpResponder r) { r.send(text("source")); });
        HttpLimits limits;
        limits.idleTimeoutMs = 1000;
        m_server = new HttpServer(
            [this](const HttpRequest &request, HttpResponder responder) {
                m_router.dispatch(request, std::move(responder));
            },
            std::nullopt, limits);
        if (m_server->listen(listener->fd, &error))
            m_port = listener->port;
    }

    QThread m_thread;
    QObject m_context; // lives on m_thread, with the server
    HttpRouter m_router;
    HttpServer *m_server = nullptr;
    quint16 m_port = 0;
    std::atomic<int> m_dropped{0};
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
