#include "net/transport/FdAcceptor.h"

#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcAcceptor, "veza.net.accept")

namespace veza::net {
namespace {

// Connections taken per wake-up before the loop serves the others; the kernel's backlog
// keeps the rest.
constexpr int kAcceptsPerWake = 256;
constexpr int kPauseAfterErrorMs = 100;

} // namespace

FdAcceptor::FdAcceptor(int listenFd, Handler handler, QObject *parent)
    : QObject(parent)
    , m_fd(listenFd)
    , m_handler(std::move(handler))
    , m_notifier(new QSocketNotifier(listenFd, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &FdAcceptor::acceptPending);
}

FdAcceptor::~FdAcceptor()
{
    close();
}

void FdAcceptor::close()
{
    if (m_fd < 0)
        return;
    m_notifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
}

void FdAcceptor::acceptPending()
{
    for (int i = 0; i < kAcceptsPerWake && m_fd >= 0; ++i) {
        const int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            // EMFILE and friends: the descriptor limit is reached. The listener stays readable,
            // so pause it briefly instead of spinning; the kernel's backlog holds the rest.
            qCWarning(lcAcceptor) << "accept failed:" << std::strerror(errno);
            m_notifier->setEnabled(false);
            QTimer::singleShot(kPauseAfterErrorMs, this, [this] {
                if (m_fd >= 0)
                    m_notifier->setEnabled(true);
            });
            return;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        m_handler(fd);
    }
}

} // namespace veza::net
