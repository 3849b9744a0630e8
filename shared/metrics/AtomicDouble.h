#pragma once

#include <atomic>

namespace veza::metrics {

// AtomicDouble: a lock-free double that several threads may add to at once; the storage behind
// Counter, Gauge and the Histogram sum.
// Thread-safety: every member may be called from any thread concurrently. Operations use relaxed
// ordering because a metric value publishes no other memory; a scrape only needs each value to
// be torn-free and eventually current.
class AtomicDouble
{
public:
    explicit AtomicDouble(double initial = 0.0) noexcept
        : m_value(initial)
    {
    }
    AtomicDouble(const AtomicDouble &) = delete;
    AtomicDouble &operator=(const AtomicDouble &) = delete;

    double load() const noexcept { return m_value.load(std::memory_order_relaxed); }
    void store(double v) noexcept { m_value.store(v, std::memory_order_relaxed); }

    void add(double delta) noexcept
    {
#if defined(__cpp_lib_atomic_float) && __cpp_lib_atomic_float >= 201711L
        m_value.fetch_add(delta, std::memory_order_relaxed);
#else
        // Standard libraries without floating-point fetch_add (older libc++): the classic
        // compare-exchange loop, which is what fetch_add compiles to on x86 anyway.
        double expected = m_value.load(std::memory_order_relaxed);
        while (
            !m_value.compare_exchange_weak(expected, expected + delta, std::memory_order_relaxed)) {
        }
#endif
    }

private:
    static_assert(std::atomic<double>::is_always_lock_free,
                  "metrics hot path assumes lock-free atomic<double>");
    std::atomic<double> m_value;
};

} // namespace veza::metrics
