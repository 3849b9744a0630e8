// TimerQueue: the timer bookkeeping of EpollEventDispatcher, kept apart so the dispatcher
// only deals with waiting and delivery. Owned by one dispatcher; used on its thread only.
//
// Complexity: add/remove/reschedule are O(log n) (indexed binary min-heap keyed by
// deadline, ties broken by insertion order so equal deadlines fire FIFO); lookup by id is
// O(1) (hash); per-object queries are O(k) in the object's own timer count.
#pragma once

#include <QAbstractEventDispatcher>
#include <QList>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

class QObject;

namespace veza::eventloop {

class TimerQueue
{
public:
    struct Timer
    {
        int id = 0;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 deadlineMs = 0;
        quint64 order = 0;        // insertion sequence, tie-breaker in the heap
        quint64 serial = 0;       // identifies this registration (timer ids are recycled)
        qsizetype heapIndex = -1; // -1 while out of the heap, i.e. while its handler runs
    };

    // Milliseconds on CLOCK_MONOTONIC, the clock all deadlines use. Deadlines start from
    // the time rounded up and expiry compares against it rounded down, so a timer never
    // fires before its full interval has elapsed (at most ~1 ms late instead).
    static qint64 nowMs();
    static qint64 nowMsRoundedUp();

    void add(int id, qint64 intervalMs, Qt::TimerType type, QObject *object);
    bool remove(int id);
    bool removeAll(QObject *object);
    QList<QAbstractEventDispatcher::TimerInfo> timersFor(QObject *object) const;
    // -1 if no such timer, otherwise ms until the deadline (0 if overdue).
    int remainingMs(int id) const;
    bool isEmpty() const { return m_timers.empty(); }
    qsizetype size() const { return qsizetype(m_timers.size()); }

    // Earliest deadline among timers that may fire now (a timer whose handler is running
    // is out of the heap, so a nested loop does not spin on it).
    std::optional<qint64> nextDeadline() const;

    // Everything inserted from now on (new timers and timers put back after firing) sorts
    // after this mark, which is how one dispatch pass fires each timer at most once and
    // does not loop forever on zero-interval timers that restart themselves.
    quint64 passMark() const { return m_nextOrder; }

    // Takes the earliest timer due at or before nowMs and inserted before passMark,
    // advances its deadline and leaves it out of the heap until release(). Returns the
    // registration to hand to release(), or nullopt when nothing more is due.
    struct Due
    {
        int id;
        quint64 serial;
        QObject *object;
        bool zeroInterval;
    };
    std::optional<Due> takeDue(qint64 nowMs, quint64 passMark);
    // Puts a timer taken by takeDue() back unless it was unregistered (or its id reused)
    // meanwhile.
    void release(const Due &due);

private:
    bool lessThan(const Timer *a, const Timer *b) const
    {
        return a->deadlineMs != b->deadlineMs ? a->deadlineMs < b->deadlineMs : a->order < b->order;
    }
    void heapPush(Timer *t);
    void heapErase(Timer *t);
    void siftUp(qsizetype i);
    void siftDown(qsizetype i);
    void place(qsizetype i, Timer *t)
    {
        m_heap[size_t(i)] = t;
        t->heapIndex = i;
    }
    void forgetObjectTimer(QObject *object, int id);

    // Node-based map: Timer addresses stay valid across rehashing, so the heap can hold them.
    std::unordered_map<int, Timer> m_timers;
    std::unordered_map<QObject *, std::vector<int>> m_byObject;
    std::vector<Timer *> m_heap;
    quint64 m_nextOrder = 0;
    quint64 m_nextSerial = 0;
};

} // namespace veza::eventloop
