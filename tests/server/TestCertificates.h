#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QString>
#include <QStringList>
#include <utility>

class QTemporaryDir;

namespace veza::testing {

// Runs openssl with `arguments`; its output (stdout and stderr), and its exit code in
// `exitCode` (-1 when it did not finish).
QByteArray runOpenSsl(const QStringList &arguments, int *exitCode);

// A throwaway self-signed EC certificate for 127.0.0.1 (CN `commonName`) in `dir`, as
// `<name>-cert.pem` and `<name>-key.pem` (TLS_CERT_FILE, TLS_KEY_FILE); empty paths when
// openssl failed.
std::pair<QString, QString> selfSignedCertificate(const QTemporaryDir &dir,
                                                  const QString &name = QStringLiteral("server"),
                                                  const QString &commonName = u"127.0.0.1"_qs);

// The certificate a TLS server on 127.0.0.1:`port` presents to a new connection (null when the
// handshake fails).
QSslCertificate presentedCertificate(quint16 port);

} // namespace veza::testing
