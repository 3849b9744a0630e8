#pragma once

#include "metrics/AtomicDouble.h"

#include <QtGlobal>

namespace veza::metrics {

// Counter: a monotonically increasing value (requests served, bytes sent). Obtain one from
// MetricsRegistry::counter() or Family<Counter>::labels(); the registry owns it.
// Thread-safety: inc() and value() are lock-free and may be called from any thread.
class Counter
{
public:
    Counter() = default;
    Counter(const Counter &) = delete;
    Counter &operator=(const Counter &) = delete;

    // Adds v, which must be >= 0: Prometheus treats any decrease as a counter reset, so a
    // negative (or NaN) increment would corrupt rate() and is dropped in release builds.
    void inc(double v = 1.0)
    {
        Q_ASSERT_X(v >= 0.0, "veza::metrics::Counter::inc", "counters only go up");
        if (!(v >= 0.0))
            return;
        m_value.add(v);
    }
    double value() const { return m_value.load(); }

private:
    AtomicDouble m_value;
};

} // namespace veza::metrics
