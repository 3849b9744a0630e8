// Certificate rotation against the real binary: the files behind TLS_CERT_FILE and TLS_KEY_FILE
// are replaced and SIGHUP sent; new connections on every port (HTTP, WebSocket, metrics) then
// present the new certificate while a WebSocket and an HTTPS keep-alive connection opened
// before go on, on the old one. A broken pair (a key that is not the certificate's, a file that
// is no certificate) is refused with an error line naming the variable, and the new certificate
// stays in use.
#include "HttpProbe.h"
#include "ServerProcess.h"
#include "TestCertificates.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <csignal>
#include <cstdio>

using namespace veza::testing;

namespace {

// Puts `from`'s bytes at `to` in one step (a new file renamed over the old one), as deployment
// tools do, so the server never reads half a file.
bool replaceFile(const QString &from, const QString &to)
{
    QFile source(from);
    QFile staged(to + QStringLiteral(".new"));
    if (!source.open(QIODevice::ReadOnly) || !staged.open(QIODevice::WriteOnly))
        return false;
    staged.write(source.readAll());
    staged.close();
    return std::rename(QFile::encodeName(staged.fileName()).constData(),
                       QFile::encodeName(to).constData()) == 0;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

QString fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':'));
}

// Log lines whose message contains `text`.
QList<QJsonObject> logsWith(ServerProcess &server, const QString &text)
{
    QList<QJsonObject> found;
    for (const QJsonObject &line : server.logLines()) {
        if (line.value(QStringLiteral("message")).toString().contains(text))
            found << line;
    }
    return found;
}

} // namespace

class TestTlsReload : public QObject
{
    Q_OBJECT

private:
    // Every listener presents `expected` to a new connection.
    void checkPresented(ServerProcess &server, const QSslCertificate &expected)
    {
        for (const quint16 port :
             {server.httpPort(), server.webSocketPort(), server.metricsPort()}) {
            QTRY_COMPARE_WITH_TIMEOUT(fingerprint(presentedCertificate(port)),
                                      fingerprint(expected), 5000);
        }
    }

    // The WebSocket opened before is still up and answers its ping.
    static void checkStillServes(QWebSocket &socket)
    {
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        QSignalSpy pongs(&socket, &QWebSocket::textMessageReceived);
        socket.sendTextMessage(QStringLiteral("{\"type\":\"ping\"}"));
        QTRY_COMPARE(pongs.size(), 1);
        QVERIFY(pongs.at(0).at(0).toString().contains(QStringLiteral("pong")));
    }

private Q_SLOTS:
    void sighupRotatesTheCertificateWithoutDroppingConnections()
    {
        QTemporaryDir dir;
        const auto [certA, keyA] = selfSignedCertificate(dir, QStringLiteral("a"), u"veza-a"_qs);
        const auto [certB, keyB] = selfSignedCertificate(dir, QStringLiteral("b"), u"veza-b"_qs);
        QVERIFY(!certA.isEmpty() && !certB.isEmpty());
        const QSslCertificate a = QSslCertificate::fromPath(certA).value(0);
        const QSslCertificate b = QSslCertificate::fromPath(certB).value(0);
        const QString liveCert = dir.filePath(QStringLiteral("tls.crt"));
        const QString liveKey = dir.filePath(QStringLiteral("tls.key"));
        QVERIFY(replaceFile(certA, liveCert) && replaceFile(keyA, liveKey));

        ServerProcess server;
        server.setEnv(QStringLiteral("TLS_CERT_FILE"), liveCert);
        server.setEnv(QStringLiteral("TLS_KEY_FILE"), liveKey);
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        checkPresented(server, a);

        // Connections that must live through the rotation.
        QWebSocket webSocket;
        connect(&webSocket, &QWebSocket::sslErrors, &webSocket,
                [&webSocket](const QList<QSslError> &) { webSocket.ignoreSslErrors(); });
        webSocket.open(QUrl(QStringLiteral("wss://127.0.0.1:%1/").arg(server.webSocketPort())));
        QTRY_COMPARE(webSocket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(fingerprint(webSocket.sslConfiguration().peerCertificate()), fingerprint(a));
        HttpProbe keepAlive(server.httpPort(), true);
        QCOMPARE(keepAlive.get("/health/live").status, 200);
        QCOMPARE(fingerprint(keepAlive.peerCertificate()), fingerprint(a));

        // The rotation: both files replaced, then SIGHUP.
        QVERIFY(replaceFile(keyB, liveKey) && replaceFile(certB, liveCert));
        server.sendSignal(SIGHUP);
        QTRY_VERIFY_WITH_TIMEOUT(
            !server.findLog(QStringLiteral("TLS certificate reloaded")).isEmpty(), 5000);
        const QJsonObject reloaded = server.findLog(QStringLiteral("TLS certificate reloaded"));
        QCOMPARE(reloaded.value(QStringLiteral("level")).toString(), QStringLiteral("info"));
        QCOMPARE(reloaded.value(QStringLiteral("fields"))
                     .toObject()
                     .value(QStringLiteral("sha256_fingerprint"))
                     .toString(),
                 fingerprint(b));
        checkPresented(server, b);
        // The connections opened before go on, on the certificate they started with (the
        // keep-alive one is the same connection: a new one would present B).
        checkStillServes(webSocket);
        QCOMPARE(fingerprint(webSocket.sslConfiguration().peerCertificate()), fingerprint(a));
        QCOMPARE(keepAlive.get("/health/live").status, 200);
        QCOMPARE(fingerprint(keepAlive.peerCertificate()), fingerprint(a));

        // A pair caught half-way (A's certificate with B's key) is refused: B stays.
        QVERIFY(replaceFile(certA, liveCert));
        server.sendSignal(SIGHUP);
        QTRY_COMPARE_WITH_TIMEOUT(logsWith(server, QStringLiteral("not reloaded")).size(), 1, 5000);
        const QJsonObject mismatch = logsWith(server, QStringLiteral("not reloaded")).at(0);
        QCOMPARE(mismatch.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
        const QString mismatchText = mismatch.value(QStringLiteral("message")).toString();
        QVERIFY2(mismatchText.contains(QStringLiteral("TLS_KEY_FILE")) &&
                     mismatchText.contains(liveCert),
                 qPrintable(mismatchText));
        checkPresented(server, b);

        // So is a file that is no certificate at all, named in the error.
        QVERIFY(writeFile(liveCert, "not a certificate\n"));
        server.sendSignal(SIGHUP);
        QTRY_COMPARE_WITH_TIMEOUT(logsWith(server, QStringLiteral("not reloaded")).size(), 2, 5000);
        const QString brokenText =
            logsWith(server, QStringLiteral("not reloaded")).at(1).value(u"message"_qs).toString();
        QVERIFY2(brokenText.contains(QStringLiteral("TLS_CERT_FILE=\"%1\"").arg(liveCert)),
                 qPrintable(brokenText));
        checkPresented(server, b);
        QCOMPARE(logsWith(server, QStringLiteral("TLS certificate reloaded")).size(), 1);
        checkStillServes(webSocket);
        QCOMPARE(keepAlive.get("/health/live").status, 200);
        QCOMPARE(fingerprint(keepAlive.peerCertificate()), fingerprint(a));

        QVERIFY(server.isRunning());
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit(15000));
        QCOMPARE(server.exitCode(), 0);
    }

    // Without TLS a SIGHUP changes nothing and says so; the server goes on.
    void sighupWithoutTlsIsHarmless()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        server.sendSignal(SIGHUP);
        QTRY_VERIFY_WITH_TIMEOUT(!server.findLog(QStringLiteral("nothing to reload")).isEmpty(),
                                 5000);
        QVERIFY(server.isRunning());
        QCOMPARE(HttpProbe::getOnce(server.httpPort(), "/health/live").status, 200);
    }
};

QTEST_GUILESS_MAIN(TestTlsReload)
#include "tst_tls_reload.moc"
