#include "eventloop/TimerQueue.h"

#include <algorithm>
#include <ctime>

namespace veza::eventloop {

namespace {

qint64 effectiveInterval(qint64 intervalMs, Qt::TimerType type)
{
    if (type != Qt::VeryCoarseTimer || intervalMs <= 0)
        return intervalMs;
    // Whole seconds (nearest), never 0: a sub-second very coarse timer must not turn into
    // a busy zero-interval timer.
    return std::max<qint64>(1000, (intervalMs + 500) / 1000 * 1000);
}

} // namespace

qint64 TimerQueue::nowMs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

qint64 TimerQueue::nowMsRoundedUp()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + (ts.tv_nsec + 999999) / 1000000;
}

void TimerQueue::add(int id, qint64 intervalMs, Qt::TimerType type, QObject *object)
{
    // An id is unique while registered; Qt never re-registers a live id, but stay safe.
    remove(id);
    Timer &t = m_timers[id];
    t.id = id;
    t.type = type;
    t.object = object;
    t.intervalMs = effectiveInterval(intervalMs, type);
    t.serial = ++m_nextSerial;
    // A zero-interval timer is due in the very next pass.
    t.deadlineMs = t.intervalMs == 0 ? nowMs() : nowMsRoundedUp() + t.intervalMs;
    if (type == Qt::VeryCoarseTimer && t.intervalMs > 0) {
        // Align to whole seconds so that many coarse timers share one wakeup.
        t.deadlineMs = (t.deadlineMs + 500) / 1000 * 1000;
    }
    m_byObject[object].push_back(id);
    heapPush(&t);
}

bool TimerQueue::remove(int id)
{
    const auto it = m_timers.find(id);
    if (it == m_timers.end())
        return false;
    Timer &t = it->second;
    if (t.heapIndex >= 0)
        heapErase(&t);
    forgetObjectTimer(t.object, id);
    m_timers.erase(it);
    return true;
}

bool TimerQueue::removeAll(QObject *object)
{
    const auto it = m_byObject.find(object);
    if (it == m_byObject.end())
        return false;
    const std::vector<int> ids = std::move(it->second);
    m_byObject.erase(it);
    for (int id : ids) {
        const auto t = m_timers.find(id);
        if (t == m_timers.end())
            continue;
        if (t->second.heapIndex >= 0)
            heapErase(&t->second);
        m_timers.erase(t);
    }
    return !ids.empty();
}

QList<QAbstractEventDispatcher::TimerInfo> TimerQueue::timersFor(QObject *object) const
{
    QList<QAbstractEventDispatcher::TimerInfo> result;
    const auto it = m_byObject.find(object);
    if (it == m_byObject.end())
        return result;
    for (int id : it->second) {
        const Timer &t = m_timers.at(id);
        result.append({t.id, int(t.intervalMs), t.type});
    }
    return result;
}

int TimerQueue::remainingMs(int id) const
{
    const auto it = m_timers.find(id);
    if (it == m_timers.end())
        return -1;
    return int(std::max<qint64>(0, it->second.deadlineMs - nowMsRoundedUp()));
}

std::optional<qint64> TimerQueue::nextDeadline() const
{
    if (m_heap.empty())
        return std::nullopt;
    return m_heap.front()->deadlineMs;
}

std::optional<TimerQueue::Due> TimerQueue::takeDue(qint64 nowMs, quint64 passMark)
{
    if (m_heap.empty())
        return std::nullopt;
    Timer *t = m_heap.front();
    if (t->deadlineMs > nowMs || t->order >= passMark)
        return std::nullopt;
    heapErase(t);
    if (t->intervalMs == 0) {
        t->deadlineMs = nowMs;
    } else {
        // Advance from the previous deadline (no drift), skipping periods already missed.
        t->deadlineMs += t->intervalMs;
        if (t->deadlineMs <= nowMs)
            t->deadlineMs += ((nowMs - t->deadlineMs) / t->intervalMs + 1) * t->intervalMs;
    }
    return Due{t->id, t->serial, t->object, t->intervalMs == 0};
}

void TimerQueue::release(const Due &due)
{
    const auto it = m_timers.find(due.id);
    if (it == m_timers.end() || it->second.serial != due.serial || it->second.heapIndex >= 0)
        return;
    heapPush(&it->second);
}

void TimerQueue::heapPush(Timer *t)
{
    t->order = m_nextOrder++;
    m_heap.push_back(t);
    place(qsizetype(m_heap.size()) - 1, t);
    siftUp(t->heapIndex);
}

void TimerQueue::heapErase(Timer *t)
{
    const qsizetype i = t->heapIndex;
    Timer *last = m_heap.back();
    m_heap.pop_back();
    t->heapIndex = -1;
    if (last == t)
        return;
    place(i, last);
    siftUp(i);
    siftDown(last->heapIndex);
}

void TimerQueue::siftUp(qsizetype i)
{
    Timer *t = m_heap[size_t(i)];
    while (i > 0) {
        const qsizetype parent = (i - 1) / 2;
        if (!lessThan(t, m_heap[size_t(parent)]))
            break;
        place(i, m_heap[size_t(parent)]);
        i = parent;
    }
    place(i, t);
}

void TimerQueue::siftDown(qsizetype i)
{
    const qsizetype n = qsizetype(m_heap.size());
    Timer *t = m_heap[size_t(i)];
    for (;;) {
        qsizetype child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && lessThan(m_heap[size_t(child + 1)], m_heap[size_t(child)]))
            ++child;
        if (!lessThan(m_heap[size_t(child)], t))
            break;
        place(i, m_heap[size_t(child)]);
        i = child;
    }
    place(i, t);
}

void TimerQueue::forgetObjectTimer(QObject *object, int id)
{
    const auto it = m_byObject.find(object);
    if (it == m_byObject.end())
        return;
    std::vector<int> &ids = it->second;
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    if (ids.empty())
        m_byObject.erase(it);
}

} // namespace veza::eventloop
