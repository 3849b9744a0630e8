#include "net/ListenSocket.h"

#include <QFile>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace veza::net {

std::optional<ListenSocket> ListenSocket::open(const QHostAddress &address, quint16 port,
                                               int backlog, QString *error)
{
    const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return std::nullopt;
    }
    auto fail = [&](const char *what) {
        *error = QStringLiteral("%1 %2:%3: %4")
                     .arg(QLatin1StringView(what), address.toString())
                     .arg(port)
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        ::close(fd);
        return std::nullopt;
    };
    const int one = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
        return fail("setsockopt on");

    sockaddr_storage storage{};
    socklen_t length = 0;
    if (v6) {
        auto *a = reinterpret_cast<sockaddr_in6 *>(&storage);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&a->sin6_addr, bytes.c, sizeof bytes.c);
        length = sizeof *a;
    } else {
        auto *a = reinterpret_cast<sockaddr_in *>(&storage);
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        a->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof *a;
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0)
        return fail("cannot bind");
    if (::listen(fd, backlog) != 0)
        return fail("cannot listen on");

    length = sizeof storage;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return fail("getsockname on");
    const quint16 bound = v6 ? ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port)
                             : ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
    return ListenSocket{fd, bound};
}

int systemMaxListenBacklog()
{
    QFile file(QStringLiteral("/proc/sys/net/core/somaxconn"));
    if (!file.open(QIODevice::ReadOnly))
        return 4096;
    bool ok = false;
    const int value = file.readAll().trimmed().toInt(&ok);
    return ok && value > 0 ? value : 4096;
}

} // namespace veza::net
