#include "eventloop/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QThread>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace veza::eventloop {

Q_LOGGING_CATEGORY(lcEventLoop, "veza.eventloop")

namespace {

// Enough to drain a busy thread in few syscalls; level-triggered epoll hands the rest out
// on the next call, rotating its ready list so no socket starves.
constexpr int MaxEventsPerWait = 512;

constexpr quint32 epollEventsFor(QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return EPOLLIN;
    case QSocketNotifier::Write:
        return EPOLLOUT;
    case QSocketNotifier::Exception:
        return EPOLLPRI;
    }
    return 0;
}

// As Qt's unix dispatcher does for poll(): a hang-up or error activates every notifier of
// the fd, so whoever owns it notices (a read returns 0/error, a write fails).
constexpr quint32 readyEventsFor(QSocketNotifier::Type type)
{
    return epollEventsFor(type) | EPOLLHUP | EPOLLERR;
}

constexpr int typeCount = 3;

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
    // CLOEXEC: a forked child must never share (and modify) this thread's epoll set.
    m_epollFd = epoll_create1(EPOLL_CLOEXEC);
    if (m_epollFd < 0)
        qFatal("EpollEventDispatcher: epoll_create1 failed: %s", strerror(errno));
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_wakeFd < 0)
        qFatal("EpollEventDispatcher: eventfd failed: %s", strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_wakeFd;
    if (epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeFd, &ev) < 0)
        qFatal("EpollEventDispatcher: cannot watch the eventfd: %s", strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epollFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);

    // Public API on purpose: it applies the loop-level rules for DeferredDelete.
    QCoreApplication::sendPostedEvents();

    if (m_interrupted.loadRelaxed())
        return false;

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents);

    // Events posted during sendPostedEvents() called wakeUp(), so the eventfd is readable
    // and the wait below returns at once: no posted event is left waiting on a sleep.
    int activated =
        waitAndDispatchSockets(computeTimeout(canWait, includeTimers), includeNotifiers);
    if (includeTimers && !m_interrupted.loadRelaxed())
        activated += activateTimers();
    return activated > 0;
}

int EpollEventDispatcher::computeTimeout(bool canWait, bool includeTimers) const
{
    if (!canWait || m_unpollableCount > 0)
        return 0;
    if (!includeTimers)
        return -1;
    const std::optional<qint64> deadline = m_timers.nextDeadline();
    if (!deadline)
        return -1;
    return int(std::clamp<qint64>(*deadline - TimerQueue::nowMs(), 0, INT_MAX));
}

int EpollEventDispatcher::waitAndDispatchSockets(int timeoutMs, bool includeNotifiers)
{
    if (timeoutMs != 0)
        emit aboutToBlock();

    int activated = 0;
    if (!includeNotifiers) {
        // Sockets stay registered in the epoll set; waiting on it would spin on ready
        // sockets we must not deliver, so wait on the eventfd alone.
        pollfd pfd{m_wakeFd, POLLIN, 0};
        const int n = ::poll(&pfd, 1, timeoutMs);
        if (timeoutMs != 0)
            emit awake();
        if (n > 0 && drainWakeUp())
            ++activated;
        return activated;
    }

    // Local, not a member: a handler may run a nested loop that waits again.
    std::array<epoll_event, MaxEventsPerWait> events;
    int n = epoll_wait(m_epollFd, events.data(), MaxEventsPerWait, timeoutMs);
    if (n < 0) {
        if (errno != EINTR)
            qCWarning(lcEventLoop, "epoll_wait failed: %s", strerror(errno));
        n = 0;
    }
    if (timeoutMs != 0)
        emit awake();

    // Mark everything first, deliver afterwards: a handler that unregisters (or deletes) a
    // notifier that is ready in this batch clears its mark, so it is never activated late.
    std::array<int, MaxEventsPerWait> readyFds;
    int readyCount = 0;
    for (int i = 0; i < n; ++i) {
        const int fd = events[size_t(i)].data.fd;
        if (fd == m_wakeFd) {
            if (drainWakeUp())
                ++activated;
            continue;
        }
        FdEntry *entry = entryFor(fd);
        if (!entry)
            continue;
        for (int t = 0; t < typeCount; ++t) {
            const auto type = QSocketNotifier::Type(t);
            if (entry->notifiers[size_t(t)] && (events[size_t(i)].events & readyEventsFor(type)))
                entry->pendingTypes |= quint8(1u << t);
        }
        readyFds[size_t(readyCount++)] = fd;
    }

    activated += dispatchUnpollable();

    QEvent event(QEvent::SockAct);
    for (int i = 0; i < readyCount; ++i) {
        const int fd = readyFds[size_t(i)];
        for (int t = 0; t < typeCount; ++t) {
            // Looked up again each time: the previous handler may have closed this fd,
            // registered new fds (growing m_fds) or reused this fd number.
            FdEntry *entry = entryFor(fd);
            if (!entry || !(entry->pendingTypes & (1u << t)))
                continue;
            entry->pendingTypes &= quint8(~(1u << t));
            QCoreApplication::sendEvent(entry->notifiers[size_t(t)], &event);
            ++activated;
        }
    }
    return activated;
}

int EpollEventDispatcher::dispatchUnpollable()
{
    if (m_unpollableCount == 0)
        return 0;
    // Regular files and the like: poll() reports them always readable and writable.
    std::vector<int> fds;
    for (size_t fd = 0; fd < m_fds.size(); ++fd) {
        FdEntry &entry = m_fds[fd];
        if (!entry.unpollable)
            continue;
        for (int t = 0; t < 2; ++t) {
            if (entry.notifiers[size_t(t)])
                entry.pendingTypes |= quint8(1u << t);
        }
        fds.push_back(int(fd));
    }
    int activated = 0;
    QEvent event(QEvent::SockAct);
    for (int fd : fds) {
        for (int t = 0; t < 2; ++t) {
            FdEntry *entry = entryFor(fd);
            if (!entry || !(entry->pendingTypes & (1u << t)))
                continue;
            entry->pendingTypes &= quint8(~(1u << t));
            QCoreApplication::sendEvent(entry->notifiers[size_t(t)], &event);
            ++activated;
        }
    }
    return activated;
}

int EpollEventDispatcher::activateTimers()
{
    if (m_timers.isEmpty())
        return 0;
    const qint64 now = TimerQueue::nowMs();
    const quint64 mark = m_timers.passMark();
    int activated = 0;
    while (const std::optional<TimerQueue::Due> due = m_timers.takeDue(now, mark)) {
        // Like Qt's dispatcher, zero-interval timers do not count as "processed events",
        // so QCoreApplication::processEvents(flags, ms) does not loop on them.
        if (!due->zeroInterval)
            ++activated;
        // The timer stays out of the queue while its handler runs, so a nested event loop
        // in the handler cannot fire it again (and does not spin waiting for it).
        QTimerEvent event(due->id);
        QCoreApplication::sendEvent(due->object, &event);
        m_timers.release(*due);
    }
    return activated;
}

bool EpollEventDispatcher::drainWakeUp()
{
    eventfd_t value = 0;
    const bool drained = eventfd_read(m_wakeFd, &value) == 0;
    // Reset after draining: a post racing with us either saw the flag still set (and its
    // event is picked up by the sendPostedEvents() that starts the next pass) or writes
    // the eventfd again.
    m_wakeUpPending.storeRelease(0);
    return drained;
}

void EpollEventDispatcher::wakeUp()
{
    // Coalesced: a burst of posts between two passes costs one write.
    if (!m_wakeUpPending.testAndSetAcquire(0, 1))
        return;
    int r;
    do {
        r = eventfd_write(m_wakeFd, 1);
    } while (r < 0 && errno == EINTR);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

EpollEventDispatcher::FdEntry *EpollEventDispatcher::entryFor(int fd)
{
    if (fd < 0 || size_t(fd) >= m_fds.size())
        return nullptr;
    return &m_fds[size_t(fd)];
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    Q_ASSERT(notifier);
    const int fd = int(notifier->socket());
    const auto type = notifier->type();
    if (Q_UNLIKELY(fd < 0)) {
        qCWarning(lcEventLoop, "registerSocketNotifier: invalid socket %d", fd);
        return;
    }
    if (Q_UNLIKELY(notifier->thread() != thread() || thread() != QThread::currentThread())) {
        qCWarning(lcEventLoop, "Socket notifiers cannot be enabled from another thread");
        return;
    }
    if (size_t(fd) >= m_fds.size())
        m_fds.resize(std::max<size_t>(size_t(fd) + 1, m_fds.size() * 2));
    FdEntry &entry = m_fds[size_t(fd)];
    QSocketNotifier *&slot = entry.notifiers[size_t(type)];
    if (slot && slot != notifier)
        qCWarning(lcEventLoop, "Multiple socket notifiers for socket %d and type %d", fd,
                  int(type));
    slot = notifier;
    updateEpoll(fd, entry);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    Q_ASSERT(notifier);
    const int fd = int(notifier->socket());
    const auto type = notifier->type();
    if (Q_UNLIKELY(notifier->thread() != thread() || thread() != QThread::currentThread())) {
        qCWarning(lcEventLoop, "Socket notifiers cannot be disabled from another thread");
        return;
    }
    FdEntry *entry = entryFor(fd);
    if (!entry || entry->notifiers[size_t(type)] != notifier)
        return;
    entry->notifiers[size_t(type)] = nullptr;
    entry->pendingTypes &= quint8(~(1u << int(type)));
    updateEpoll(fd, *entry);
}

void EpollEventDispatcher::updateEpoll(int fd, FdEntry &entry)
{
    quint32 wanted = 0;
    for (int t = 0; t < typeCount; ++t) {
        if (entry.notifiers[size_t(t)])
            wanted |= epollEventsFor(QSocketNotifier::Type(t));
    }
    if (entry.unpollable) {
        if (wanted == 0) {
            entry.unpollable = false;
            --m_unpollableCount;
        }
        return;
    }
    if (wanted == entry.epollMask)
        return;
    if (wanted == 0) {
        // ENOENT/EBADF are fine: the fd may already be closed, which removes it from epoll.
        epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
        entry.epollMask = 0;
        return;
    }
    epoll_event ev{};
    ev.events = wanted;
    ev.data.fd = fd;
    int op = entry.epollMask ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int r = epoll_ctl(m_epollFd, op, fd, &ev);
    if (r < 0 && op == EPOLL_CTL_MOD && errno == ENOENT) {
        // The fd was closed and its number reused while still registered here.
        op = EPOLL_CTL_ADD;
        r = epoll_ctl(m_epollFd, op, fd, &ev);
    } else if (r < 0 && op == EPOLL_CTL_ADD && errno == EEXIST) {
        r = epoll_ctl(m_epollFd, EPOLL_CTL_MOD, fd, &ev);
    }
    if (r == 0) {
        entry.epollMask = wanted;
        return;
    }
    entry.epollMask = 0;
    if (errno == EPERM) {
        entry.unpollable = true;
        ++m_unpollableCount;
        return;
    }
    qCWarning(lcEventLoop, "epoll_ctl on socket %d failed: %s", fd, strerror(errno));
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (Q_UNLIKELY(timerId < 1 || interval < 0 || !object)) {
        qCWarning(lcEventLoop, "registerTimer: invalid arguments");
        return;
    }
    if (Q_UNLIKELY(object->thread() != thread() || thread() != QThread::currentThread())) {
        qCWarning(lcEventLoop, "Timers cannot be started from another thread");
        return;
    }
    m_timers.add(timerId, interval, timerType, object);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.removeAll(object);
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    return m_timers.timersFor(object);
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    return m_timers.remainingMs(timerId);
}

} // namespace veza::eventloop
