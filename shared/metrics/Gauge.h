#pragma once

#include "metrics/AtomicDouble.h"

namespace veza::metrics {

// Gauge: a value that goes up and down (open connections, memory in use). Obtain one from
// MetricsRegistry::gauge() or Family<Gauge>::labels(); the registry owns it.
// Thread-safety: all members are lock-free and may be called from any thread.
class Gauge
{
public:
    Gauge() = default;
    Gauge(const Gauge &) = delete;
    Gauge &operator=(const Gauge &) = delete;

    void set(double v) { m_value.store(v); }
    void inc(double v = 1.0) { m_value.add(v); }
    void dec(double v = 1.0) { m_value.add(-v); }
    double value() const { return m_value.load(); }

private:
    AtomicDouble m_value;
};

} // namespace veza::metrics
