#include "net/TlsSettings.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>

namespace veza::net {

std::optional<QSslConfiguration>
loadTls13ServerConfiguration(const QString &certFile, const QString &keyFile, QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS requested but Qt has no TLS backend (OpenSSL 3 missing?)");
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certFile, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("TLS_CERT_FILE=\"%1\": expected a readable PEM certificate")
                     .arg(certFile);
        return std::nullopt;
    }
    QFile keyData(keyFile);
    if (!keyData.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("TLS_KEY_FILE=<redacted path>: cannot read: %1")
                     .arg(keyData.errorString());
        return std::nullopt;
    }
    const QByteArray pem = keyData.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        *error = QStringLiteral(
            "TLS_KEY_FILE=<redacted path>: expected an unencrypted PEM RSA or EC private key");
        return std::nullopt;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(chain.first());
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_3OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

QTcpServer *makeListener(const std::optional<QSslConfiguration> &tls, QObject *parent)
{
    QTcpServer *listener = nullptr;
    if (tls) {
        auto *sslServer = new QSslServer(parent);
        sslServer->setSslConfiguration(*tls);
        listener = sslServer;
    } else {
        listener = new QTcpServer(parent);
    }
    // Qt's default cap of 30 pending connections would stall accepting behind it; every
    // owner takes its sockets as soon as they are ready.
    listener->setMaxPendingConnections(1 << 20);
    return listener;
}

} // namespace veza::net
