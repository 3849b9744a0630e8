// `veza-server probe`, the container image's health check: exit 0 while the server it asks is
// ready (plain HTTP and TLS alike), 1 when nothing answers or the answer is not a 2xx, 2 for a
// bad command line.
#include "ServerProcess.h"
#include "TestCertificates.h"

#include <QTcpServer>
#include <QTest>

using veza::testing::ServerProcess;

namespace {

// The probe as the image runs it: in the server's own environment, with the port it bound.
ServerProcess::Run probe(const ServerProcess &server, const QStringList &arguments = {})
{
    QProcessEnvironment environment = server.environment();
    environment.insert(QStringLiteral("PORT"), QString::number(server.httpPort()));
    return ServerProcess::run(QStringList{QStringLiteral("probe")} + arguments, environment);
}

} // namespace

class TestProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readyServerPasses()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const ServerProcess::Run run = probe(server);
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.out.startsWith("200 ") && run.out.contains("\"ready\""), run.out.constData());
    }

    // With TLS on, the probe speaks https to loopback and accepts the server's own certificate
    // (here self-signed, so a verifying client would refuse it).
    void readyServerOverTlsPasses()
    {
        QTemporaryDir dir;
        const auto [cert, key] = veza::testing::selfSignedCertificate(dir);
        QVERIFY(!cert.isEmpty());
        ServerProcess server;
        server.setEnv(QStringLiteral("TLS_CERT_FILE"), cert);
        server.setEnv(QStringLiteral("TLS_KEY_FILE"), key);
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const ServerProcess::Run run = probe(server);
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.out.startsWith("200 "), run.out.constData());
    }

    void answerThatIsNotASuccessFails()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const ServerProcess::Run run = probe(
            server, {QStringLiteral("http://127.0.0.1:%1/health/none").arg(server.httpPort())});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.startsWith("404 "), run.out.constData());
    }

    void nothingListeningFails()
    {
        QTcpServer reserved; // a port nobody answers on once closed
        QVERIFY(reserved.listen(QHostAddress::LocalHost));
        const quint16 port = reserved.serverPort();
        reserved.close();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PORT"), QString::number(port));
        const ServerProcess::Run run = ServerProcess::run({QStringLiteral("probe")}, environment);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QByteArray::number(port)), run.err.constData());
    }

    void badUrlIsAUsageError()
    {
        const ServerProcess::Run run =
            ServerProcess::run({QStringLiteral("probe"), QStringLiteral("ftp://127.0.0.1/")},
                               QProcessEnvironment::systemEnvironment());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("http://"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestProbe)
#include "tst_probe.moc"
