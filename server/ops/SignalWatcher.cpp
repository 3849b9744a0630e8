#include "ops/SignalWatcher.h"

#include <QSocketNotifier>
#include <csignal>
#include <sys/signalfd.h>
#include <unistd.h>

namespace veza::ops {
namespace {
sigset_t terminationSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}
sigset_t handledSignals()
{
    sigset_t set = terminationSignals();
    sigaddset(&set, SIGHUP);
    return set;
}
void exitImmediately(int)
{
    ::_exit(1); // async-signal-safe, unlike anything that logs or flushes
}
} // namespace

void SignalWatcher::armImmediateExit()
{
    struct sigaction action
    {
    };
    action.sa_handler = exitImmediately;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    // Other threads keep them blocked; the kernel delivers to this (the main) thread, also a
    // signal that is already pending.
    const sigset_t set = terminationSignals();
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

void SignalWatcher::blockHandledSignals()
{
    const sigset_t set = handledSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{
    const sigset_t set = handledSignals();
    m_fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m_fd < 0)
        return;
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::readSignals);
}

SignalWatcher::~SignalWatcher()
{
    delete m_notifier;
    if (m_fd >= 0)
        ::close(m_fd);
}

void SignalWatcher::readSignals()
{
    signalfd_siginfo info;
    while (::read(m_fd, &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGHUP)
            Q_EMIT reloadRequested();
        else
            Q_EMIT terminationRequested(static_cast<int>(info.ssi_signo));
    }
}

} // namespace veza::ops
