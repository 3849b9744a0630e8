#include "Listener.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace streambench {
namespace {

constexpr size_t kMaxHead = 16384;

void fail(Listener &l, Failure failure, int error)
{
    l.state = ListenerState::Failed;
    l.failure = failure;
    l.error = error;
    closeListener(l);
}

// "HTTP/1.x 200 ..." or Icecast's "ICY 200 OK": the status code, 0 if unreadable.
int statusOf(const std::string &head)
{
    const size_t space = head.find(' ');
    if (space == std::string::npos)
        return 0;
    return std::atoi(head.c_str() + space + 1);
}

} // namespace

void startConnect(Listener &l, uint32_t sourceAddress, uint32_t host, uint16_t port, int64_t now)
{
    l.startNs = now;
    l.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (l.fd < 0) {
        fail(l, Failure::Connect, errno);
        return;
    }
    const int one = 1;
    // Lets the kernel pick the port at connect() time per (source, destination) pair, so
    // several source addresses multiply the usable ephemeral ports.
    ::setsockopt(l.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(sourceAddress);
    if (::bind(l.fd, reinterpret_cast<const sockaddr *>(&local), sizeof local) != 0) {
        fail(l, Failure::Connect, errno);
        return;
    }
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_addr.s_addr = htonl(host);
    remote.sin_port = htons(port);
    if (::connect(l.fd, reinterpret_cast<const sockaddr *>(&remote), sizeof remote) != 0 &&
        errno != EINPROGRESS) {
        fail(l, Failure::Connect, errno);
        return;
    }
    l.state = ListenerState::Connecting;
}

bool finishConnect(Listener &l, const std::string &request)
{
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(l.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        error = errno;
    if (error != 0) {
        fail(l, Failure::Connect, error);
        return false;
    }
    // A few dozen bytes into an empty socket buffer: one send() writes them all.
    if (::send(l.fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size())) {
        fail(l, Failure::Connect, errno);
        return false;
    }
    l.state = ListenerState::Head;
    return true;
}

bool readAvailable(Listener &l, char *buffer, size_t size, int64_t now)
{
    for (;;) {
        const ssize_t n = ::recv(l.fd, buffer, size, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : 0;
            if (l.state == ListenerState::Head) {
                fail(l, Failure::ClosedInHead, error);
            } else {
                l.state = ListenerState::Closed;
                l.error = error;
                l.closedNs = now;
                closeListener(l);
            }
            return false;
        }
        size_t body = size_t(n);
        if (l.state == ListenerState::Head) {
            l.head.append(buffer, size_t(n));
            const size_t end = l.head.find("\r\n\r\n");
            if (end == std::string::npos) {
                if (l.head.size() > kMaxHead) {
                    fail(l, Failure::HttpStatus, 0);
                    return false;
                }
                continue;
            }
            l.httpStatus = statusOf(l.head);
            if (l.httpStatus != 200) {
                fail(l, Failure::HttpStatus, 0);
                return false;
            }
            body = l.head.size() - (end + 4);
            std::string().swap(l.head);
            l.state = ListenerState::Body;
        }
        if (body > 0) {
            if (l.bodyBytes == 0)
                l.firstByteNs = now;
            l.bodyBytes += body;
        }
        if (size_t(n) < size)
            return true; // drained (a short read); level-triggered epoll reports the rest
    }
}

void closeListener(Listener &l)
{
    if (l.fd >= 0)
        ::close(l.fd);
    l.fd = -1;
}

} // namespace streambench
