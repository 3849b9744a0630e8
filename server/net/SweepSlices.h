#pragma once

#include <QHash>
#include <algorithm>
#include <vector>

namespace veza::net {

// A once-per-interval visit of every connection in a table (deadlines, idle timeouts, session
// ticks, heartbeat pings), spread over `slices` steps: the timer fires every interval / slices
// and each step visits one slice. Visiting 10,000 connections at once held a network thread
// for about 4 ms each second, and every chat message that arrived meanwhile with it. A
// member's slice is `sliceOf(key, value)`: stored when it arrives (assign(), round robin, so
// slices stay even) or derived from a sequential key.
template <typename Key> class SweepSlices
{
public:
    static constexpr int kDefaultSlices = 10;

    explicit SweepSlices(int slices = kDefaultSlices)
        : m_slices(std::max(1, slices))
    {
    }

    int slices() const { return m_slices; }
    int stepMs(int intervalMs) const { return std::max(1, intervalMs / m_slices); }
    quint32 assign() { return quint32(m_assigned++ % quint64(m_slices)); }

    // Visits the members of `table` in the next step's slice. Collected first: a visit may end
    // a connection, which leaves the table.
    template <typename Value, typename SliceOf, typename Visit>
    void step(const QHash<Key, Value> &table, SliceOf sliceOf, Visit visit)
    {
        const quint64 slice = m_step++ % quint64(m_slices);
        m_due.clear();
        for (auto it = table.cbegin(); it != table.cend(); ++it) {
            if (quint64(sliceOf(it.key(), it.value())) == slice)
                m_due.push_back(it.key());
        }
        for (const Key &key : m_due) {
            const auto it = table.constFind(key);
            if (it != table.cend())
                visit(it.key(), it.value());
        }
    }

    int lastStepSize() const { return int(m_due.size()); } // tests

private:
    int m_slices;
    quint64 m_assigned = 0;
    quint64 m_step = 0;
    std::vector<Key> m_due; // reused by every step
};

} // namespace veza::net
