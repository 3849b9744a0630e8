#pragma once

#include "metrics/AtomicDouble.h"

#include <QString>
#include <QtGlobal>
#include <atomic>
#include <memory>
#include <vector>

namespace veza::metrics {

// Histogram: counts observations (typically latencies in seconds) into fixed buckets and keeps
// their sum, rendered as Prometheus _bucket/_sum/_count series. Obtain one from
// MetricsRegistry::histogram() or Family<Histogram>::labels(); the registry owns it.
// Thread-safety: observe() and the readers are lock-free and may be called from any thread.
// observe() is a binary search plus two relaxed atomic adds; readers see each counter torn-free
// but not necessarily the same instant as the sum (see snapshot()).
class Histogram
{
public:
    // upperBounds: strictly increasing finite bucket bounds ("le"); a trailing +Inf is
    // accepted and ignored because the +Inf bucket always exists. Anything else is a
    // programming error and aborts with a message.
    explicit Histogram(std::vector<double> upperBounds);
    Histogram(const Histogram &) = delete;
    Histogram &operator=(const Histogram &) = delete;

    void observe(double v);
    quint64 count() const;
    double sum() const;

    // The finite bucket bounds, without the implicit +Inf.
    const std::vector<double> &upperBounds() const { return m_upperBounds; }

    struct Snapshot
    {
        // Cumulative counts, one per finite bound plus a last one for +Inf (== count).
        std::vector<quint64> cumulativeCounts;
        quint64 count = 0;
        double sum = 0.0;
    };
    // Cumulative by construction and with count == the +Inf bucket even while other threads
    // observe, because count is derived from the bucket reads rather than read separately.
    Snapshot snapshot() const;

    // Checks bounds the way the constructor does; returns the normalised list (trailing +Inf
    // removed) or an error message. Used by the registry to report errors with the metric name.
    static std::vector<double> normalizedBounds(std::vector<double> upperBounds, QString *error);

private:
    std::vector<double> m_upperBounds;
    // Non-cumulative per-bucket counts (index m_upperBounds.size() is the +Inf bucket): an
    // observation touches one bucket only; cumulation happens at scrape time.
    std::unique_ptr<std::atomic<quint64>[]> m_bucketCounts;
    AtomicDouble m_sum;
};

} // namespace veza::metrics
