#pragma once

#include <QHash>
#include <atomic>

namespace veza::streaming {

// The listeners of a live stream or packet feed, counted per network thread's sink (a sink is
// told about new audio once, whatever its number of listeners) and in total. Not locked: the
// owner calls add(), remove() and forEachSink() under its own lock; total() may be read from
// any thread.
template <typename Sink> class SinkCounts
{
public:
    // Returns the new total.
    int add(Sink *sink)
    {
        ++m_perSink[sink];
        return m_total.fetch_add(1, std::memory_order_relaxed) + 1;
    }
    // False when the sink had no listener here.
    bool remove(Sink *sink)
    {
        auto it = m_perSink.find(sink);
        if (it == m_perSink.end())
            return false;
        if (--it.value() == 0)
            m_perSink.erase(it);
        m_total.fetch_sub(1, std::memory_order_relaxed);
        return true;
    }
    bool noSinks() const { return m_perSink.isEmpty(); }
    int total() const { return m_total.load(std::memory_order_relaxed); }
    template <typename F> void forEachSink(F &&f) const
    {
        for (auto it = m_perSink.cbegin(); it != m_perSink.cend(); ++it)
            f(it.key());
    }

private:
    QHash<Sink *, int> m_perSink;
    std::atomic<int> m_total{0};
};

} // namespace veza::streaming
