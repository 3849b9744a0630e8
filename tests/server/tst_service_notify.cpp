// veza-server under systemd's Type=notify (packaging/systemd/veza-server.service): systemd
// counts the service started at READY=1 and stopping at STOPPING=1, read from the datagram
// socket it names in NOTIFY_SOCKET. The test plays systemd's side of that socket.
#include "HttpProbe.h"
#include "ServerProcess.h"

#include <QTcpServer>
#include <QTest>
#include <QThread>
#include <csignal>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using veza::testing::HttpProbe;
using veza::testing::ServerProcess;

namespace {

// The service manager's end: a Unix datagram socket bound at a path.
class NotifySocket
{
public:
    explicit NotifySocket(const QString &path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const QByteArray encoded = path.toLocal8Bit();
        if (m_fd < 0 || encoded.size() >= qsizetype(sizeof(address.sun_path)))
            return;
        std::copy(encoded.begin(), encoded.end(), address.sun_path);
        if (::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~NotifySocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isValid() const { return m_fd >= 0; }

    // The next datagram within timeoutMs, or an empty array.
    QByteArray next(int timeoutMs)
    {
        pollfd wanted{m_fd, POLLIN, 0};
        if (::poll(&wanted, 1, timeoutMs) != 1)
            return {};
        QByteArray datagram(4096, Qt::Uninitialized);
        const ssize_t size = ::recv(m_fd, datagram.data(), size_t(datagram.size()), 0);
        return size > 0 ? datagram.left(size) : QByteArray();
    }

private:
    int m_fd = -1;
};

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost) ? probe.serverPort() : 0;
}

} // namespace

class TestServiceNotify : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // READY=1 comes once the server serves: /health/ready, asked the moment the datagram
    // arrives, answers 200. STOPPING=1 comes with the SIGTERM, asking systemd to wait for the
    // drain (SHUTDOWN_TIMEOUT_S) and the final writes before it kills anything.
    void readyOnceReadyAndStoppingOnSigterm()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notify"));
        NotifySocket manager(path);
        QVERIFY(manager.isValid());
        const quint16 port = freePort();
        QVERIFY(port != 0);

        ServerProcess server;
        server.setEnv(QStringLiteral("NOTIFY_SOCKET"), path);
        server.setEnv(QStringLiteral("PORT"), QString::number(port));
        server.setEnv(QStringLiteral("SHUTDOWN_TIMEOUT_S"), QStringLiteral("7"));

        // Waits for READY=1 from the start, and asks /health/ready at once when it arrives:
        // the main thread is busy starting the server meanwhile.
        QByteArray ready;
        int readyAnswer = -1;
        std::unique_ptr<QThread> watcher(QThread::create([&] {
            ready = manager.next(30000);
            if (ready.contains("READY=1"))
                readyAnswer = HttpProbe(port).get("/health/ready", 2000).status;
        }));
        watcher->start();
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        QVERIFY(watcher->wait(35000));
        QVERIFY2(ready.split('\n').contains("READY=1"), ready.constData());
        QCOMPARE(readyAnswer, 200);
        const QByteArray status = "STATUS=ready: http " + QByteArray::number(port) + ", ws ";
        QVERIFY2(ready.contains(status), ready.constData());
        QCOMPARE(server.httpPort(), port);

        server.sendSignal(SIGTERM);
        const QByteArray stopping = manager.next(10000);
        const QList<QByteArray> fields = stopping.split('\n');
        QVERIFY2(fields.contains("STOPPING=1"), stopping.constData());
        QVERIFY2(fields.contains("EXTEND_TIMEOUT_USEC=17000000"), stopping.constData());
        QVERIFY(server.waitForExit(15000));
        QCOMPARE(server.exitCode(), 0);
        QCOMPARE(manager.next(200), QByteArray()); // nothing more
    }

    // A NOTIFY_SOCKET nobody listens on (a stale variable) costs a warning, not the service.
    void aDeafServiceManagerIsNotFatal()
    {
        QTemporaryDir dir;
        ServerProcess server;
        server.setEnv(QStringLiteral("NOTIFY_SOCKET"), dir.filePath(QStringLiteral("nobody")));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        QTRY_VERIFY_WITH_TIMEOUT(!server.findLog(QStringLiteral("cannot notify")).isEmpty(), 10000);
        QCOMPARE(HttpProbe::getOnce(server.httpPort(), "/health/ready").status, 200);
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit(15000));
        QCOMPARE(server.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServiceNotify)
#include "tst_service_notify.moc"
