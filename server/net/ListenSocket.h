#pragma once

#include <QHostAddress>
#include <QString>
#include <optional>

namespace veza::net {

// A listening TCP socket with SO_REUSEPORT, so that every network thread can own a listener
// on the same port and the kernel spreads incoming connections across them (no shared accept
// queue, no cross-thread hand-off). The descriptor is handed to a QTcpServer/QSslServer with
// setSocketDescriptor(), which takes ownership.
struct ListenSocket
{
    int fd = -1;
    quint16 port = 0; // the bound port (useful when 0 was asked for)

    // backlog is clamped by the kernel to net.core.somaxconn.
    static std::optional<ListenSocket> open(const QHostAddress &address, quint16 port, int backlog,
                                            QString *error);
};

// net.core.somaxconn, the ceiling of any listen backlog on this host.
int systemMaxListenBacklog();

} // namespace veza::net
