// EpollEventDispatcher: a QAbstractEventDispatcher built on Linux epoll + eventfd for the
// server's network threads. Qt's default (glib/ppoll) dispatcher rescans every socket of
// its thread on each wakeup, which makes a thread holding thousands of connections spend
// most of its time rebuilding poll sets; here the cost of a wakeup is proportional to the
// number of ready sockets, and enabling/disabling a notifier is one epoll_ctl.
//
// Threading: one dispatcher per thread, installed with QCoreApplication::setEventDispatcher
// or QThread::setEventDispatcher before the thread starts. Every member is called on that
// thread, except wakeUp() and interrupt(), which are safe from any thread.
#pragma once

#include "eventloop/TimerQueue.h"

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <array>
#include <vector>

class QSocketNotifier;

namespace veza::eventloop {

class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    // Everything the dispatcher knows about one file descriptor, indexed by the fd itself
    // (fds are small dense integers, so a vector beats a hash and never rehashes).
    struct FdEntry
    {
        std::array<QSocketNotifier *, 3> notifiers{}; // indexed by QSocketNotifier::Type
        quint32 epollMask = 0;   // events currently registered with epoll (0: not added)
        quint8 pendingTypes = 0; // types ready in the batch being dispatched
        bool unpollable = false; // epoll refused the fd (regular file): always ready
    };

    FdEntry *entryFor(int fd);
    void updateEpoll(int fd, FdEntry &entry);
    int waitAndDispatchSockets(int timeoutMs, bool includeNotifiers);
    int dispatchUnpollable();
    int activateTimers();
    bool drainWakeUp();
    int computeTimeout(bool canWait, bool includeTimers) const;

    int m_epollFd = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUpPending;
    QAtomicInt m_interrupted;
    std::vector<FdEntry> m_fds;
    int m_unpollableCount = 0;
    TimerQueue m_timers;
};

} // namespace veza::eventloop
