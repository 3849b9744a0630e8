#pragma once

#include <QHash>
#include <vector>

namespace veza::net {

// A once-per-interval visit of every connection in a table (deadlines, idle timeouts, session
// ticks), spread over kSlices steps: the timer fires every interval / kSlices and each step
// visits one slice. Visiting 10,000 connections at once held a network thread for about 4 ms
// each second, and every chat message that arrived meanwhile with it. Slices are handed out
// round robin as connections arrive, so they stay even.
class SweepSlices
{
public:
    static constexpr int kSlices = 10;
    static constexpr int stepMs(int intervalMs) { return intervalMs / kSlices; }

    quint8 assign() { return quint8(m_assigned++ % kSlices); }

    // Visits the members of `table` whose slice (sliceOf(value)) is the next step's. Collected
    // first: a visit may end a connection, which leaves the table.
    template <typename Key, typename Value, typename SliceOf, typename Visit>
    void step(const QHash<Key *, Value> &table, SliceOf sliceOf, Visit visit)
    {
        const quint8 slice = quint8(m_step++ % kSlices);
        m_due.clear();
        for (auto it = table.cbegin(); it != table.cend(); ++it) {
            if (sliceOf(it.value()) == slice)
                m_due.push_back(it.key());
        }
        for (void *item : m_due) {
            if (table.contains(static_cast<Key *>(item)))
                visit(static_cast<Key *>(item));
        }
    }

    int lastStepSize() const { return int(m_due.size()); } // tests

private:
    quint64 m_assigned = 0;
    quint64 m_step = 0;
    std::vector<void *> m_due; // reused by every step
};

} // namespace veza::net
