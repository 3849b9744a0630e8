#pragma once

#include <QJsonObject>
#include <QSslConfiguration>
#include <QString>
#include <functional>

namespace veza::ops {

// Certificate rotation without a restart: reload() (on SIGHUP) reads TLS_CERT_FILE and
// TLS_KEY_FILE again and, when they make a valid pair, hands it to the listeners (`apply`), so
// connections accepted from then on present the new certificate while open ones go on with the
// old. A pair that does not load (unreadable, not PEM, a key that is not the certificate's)
// changes nothing: an error line names the variable at fault. Either way one line is logged.
// Main thread.
class TlsReloader
{
public:
    using Apply = std::function<void(const QSslConfiguration &)>;

    TlsReloader(QString certFile, QString keyFile, Apply apply);

    // True when the files' pair is now in use.
    bool reload();

    // What the log says of a certificate: subject, issuer, SHA-256 fingerprint, expiry.
    static QJsonObject describe(const QSslConfiguration &configuration);

private:
    const QString m_certFile;
    const QString m_keyFile;
    const Apply m_apply;
};

} // namespace veza::ops
