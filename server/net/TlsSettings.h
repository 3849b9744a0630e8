#pragma once

#include <QSslConfiguration>
#include <QString>
#include <optional>

namespace veza::net {

// Loads TLS_CERT_FILE / TLS_KEY_FILE into a server configuration that accepts TLS 1.3 only
// (the production guide: "TLS 1.3 obligatoire pour toutes les connexions").
std::optional<QSslConfiguration>
loadTls13ServerConfiguration(const QString &certFile, const QString &keyFile, QString *error);

} // namespace veza::net
