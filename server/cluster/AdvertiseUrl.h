#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

namespace veza::cluster {

// Where the deployment's other instances reach this one's PORT (ADVERTISE_URL): `configured`
// when set; else `http(s)://HOST:port`, HOST a wildcard standing for this machine's first
// non-loopback address (IPv4 first; 127.0.0.1 on a machine without one).
QByteArray advertiseUrl(const QString &configured, const QHostAddress &host, quint16 port,
                        bool tls);

} // namespace veza::cluster
