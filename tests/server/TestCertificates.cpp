#include "TestCertificates.h"

#include <QProcess>
#include <QSslSocket>
#include <QTemporaryDir>

namespace veza::testing {

QByteArray runOpenSsl(const QStringList &arguments, int *exitCode)
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), arguments);
    openssl.closeWriteChannel();
    if (!openssl.waitForFinished(15000))
        openssl.kill();
    *exitCode = openssl.exitStatus() == QProcess::NormalExit ? openssl.exitCode() : -1;
    return openssl.readAllStandardOutput() + openssl.readAllStandardError();
}

std::pair<QString, QString> selfSignedCertificate(const QTemporaryDir &dir, const QString &name,
                                                  const QString &commonName)
{
    const QString cert = dir.filePath(name + QStringLiteral("-cert.pem"));
    const QString key = dir.filePath(name + QStringLiteral("-key.pem"));
    int exitCode = -1;
    const QByteArray output = runOpenSsl(
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
         QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
         QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
         QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert, QStringLiteral("-days"),
         QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=") + commonName},
        &exitCode);
    if (exitCode != 0) {
        qWarning().noquote() << output;
        return {};
    }
    return {cert, key};
}

QSslCertificate presentedCertificate(quint16 port)
{
    QSslSocket socket;
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForEncrypted(5000))
        return QSslCertificate();
    const QSslCertificate certificate = socket.peerCertificate();
    socket.abort();
    return certificate;
}

} // namespace veza::testing
