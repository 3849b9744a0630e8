#include "ops/TlsReloader.h"

#include "logging/JsonLog.h"
#include "net/TlsSettings.h"

#include <QLoggingCategory>
#include <QSslCertificate>

Q_LOGGING_CATEGORY(lcTls, "veza.tls")

namespace veza::ops {

TlsReloader::TlsReloader(QString certFile, QString keyFile, Apply apply)
    : m_certFile(std::move(certFile))
    , m_keyFile(std::move(keyFile))
    , m_apply(std::move(apply))
{
}

bool TlsReloader::reload()
{
    QString error;
    const std::optional<QSslConfiguration> tls =
        net::loadTls13ServerConfiguration(m_certFile, m_keyFile, &error);
    if (!tls) {
        qCCritical(lcTls).noquote()
            << "TLS certificate not reloaded, the current one stays:" << error;
        return false;
    }
    m_apply(*tls);
    logging::log(lcTls(), QtInfoMsg,
                 QStringLiteral("TLS certificate reloaded: new connections use it"),
                 describe(*tls));
    return true;
}

QJsonObject TlsReloader::describe(const QSslConfiguration &configuration)
{
    const QSslCertificate certificate = configuration.localCertificate();
    return {{QStringLiteral("subject"), certificate.subjectDisplayName()},
            {QStringLiteral("issuer"), certificate.issuerDisplayName()},
            {QStringLiteral("sha256_fingerprint"),
             QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':'))},
            {QStringLiteral("not_after"), certificate.expiryDate().toUTC().toString(Qt::ISODate)}};
}

} // namespace veza::ops
