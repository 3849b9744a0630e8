#include "net/TlsSettings.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace veza::net {
namespace {

// Whether the private key of `keyPem` is the one of the first certificate of `certPem`: a pair
// that does not match (a rotation caught between its two files) fails every handshake.
bool keyMatchesCertificate(const QByteArray &certPem, const QByteArray &keyPem)
{
    const auto bio = [](const QByteArray &pem) {
        return std::unique_ptr<BIO, decltype(&BIO_free)>(
            BIO_new_mem_buf(pem.constData(), int(pem.size())), BIO_free);
    };
    const auto certBio = bio(certPem);
    const auto keyBio = bio(keyPem);
    // Never asks for a passphrase (OpenSSL's default would read the terminal).
    const auto noPassphrase = [](char *, int, int, void *) { return 0; };
    const std::unique_ptr<X509, decltype(&X509_free)> certificate(
        PEM_read_bio_X509(certBio.get(), nullptr, noPassphrase, nullptr), X509_free);
    const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr), EVP_PKEY_free);
    const bool matches =
        certificate && key && X509_check_private_key(certificate.get(), key.get()) == 1;
    ERR_clear_error(); // this thread's OpenSSL error queue, which Qt reads after its own calls
    return matches;
}

} // namespace

std::optional<QSslConfiguration>
loadTls13ServerConfiguration(const QString &certFile, const QString &keyFile, QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS requested but Qt has no TLS backend (OpenSSL 3 missing?)");
        return std::nullopt;
    }
    QFile certData(certFile);
    const QByteArray certPem =
        certData.open(QIODevice::ReadOnly) ? certData.readAll() : QByteArray();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem, QSsl::Pem);
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
    if (!keyMatchesCertificate(certPem, pem)) {
        *error = QStringLiteral("TLS_KEY_FILE=<redacted path>: the key is not the one of the "
                                "certificate in TLS_CERT_FILE=\"%1\"")
                     .arg(certFile);
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
