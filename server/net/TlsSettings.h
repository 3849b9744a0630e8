#pragma once

#include <QSslConfiguration>
#include <QString>
#include <optional>

class QObject;
class QTcpServer;

namespace veza::net {

// Loads TLS_CERT_FILE / TLS_KEY_FILE into a server configuration that accepts TLS 1.3 only
// (the production guide: "TLS 1.3 obligatoire pour toutes les connexions"). The error names
// the variable whose file is at fault, also when the key is not the certificate's.
std::optional<QSslConfiguration>
loadTls13ServerConfiguration(const QString &certFile, const QString &keyFile, QString *error);

// A listener that terminates TLS with `tls` when given (QSslServer), plain TCP otherwise. Its
// pending connections are handed out only once ready (after the TLS handshake).
QTcpServer *makeListener(const std::optional<QSslConfiguration> &tls, QObject *parent);

} // namespace veza::net
