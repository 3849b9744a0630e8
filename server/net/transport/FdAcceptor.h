#pragma once

#include <QObject>
#include <functional>

class QSocketNotifier;

namespace veza::net {

// Accepts on a listening descriptor without QTcpServer: each new connection comes out as a
// non-blocking descriptor with TCP_NODELAY set (chat frames are small and latency-bound).
// Owns (and closes) the listening descriptor.
class FdAcceptor : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(int fd)>;

    FdAcceptor(int listenFd, Handler handler, QObject *parent = nullptr);
    ~FdAcceptor() override;

    void close();

private:
    void acceptPending();

    int m_fd;
    Handler m_handler;
    QSocketNotifier *m_notifier;
};

} // namespace veza::net
