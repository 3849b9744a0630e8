#include "metrics/Histogram.h"

#include <QString>
#include <algorithm>
#include <cmath>
#include <limits>

namespace veza::metrics {

std::vector<double> Histogram::normalizedBounds(std::vector<double> upperBounds, QString *error)
{
    if (!upperBounds.empty() && upperBounds.back() == std::numeric_limits<double>::infinity())
        upperBounds.pop_back();
    for (std::size_t i = 0; i < upperBounds.size(); ++i) {
        if (!std::isfinite(upperBounds[i])) {
            if (error)
                *error = QStringLiteral("bucket bound %1 is not finite").arg(upperBounds[i]);
            return {};
        }
        if (i > 0 && !(upperBounds[i - 1] < upperBounds[i])) {
            if (error)
                *error = QStringLiteral("bucket bounds must be strictly increasing (%1 then %2)")
                             .arg(upperBounds[i - 1])
                             .arg(upperBounds[i]);
            return {};
        }
    }
    if (error)
        error->clear();
    return upperBounds;
}

Histogram::Histogram(std::vector<double> upperBounds)
{
    QString error;
    m_upperBounds = normalizedBounds(std::move(upperBounds), &error);
    if (!error.isEmpty())
        qFatal("veza::metrics::Histogram: %s", qPrintable(error));
    const std::size_t buckets = m_upperBounds.size() + 1;
    m_bucketCounts = std::make_unique<std::atomic<quint64>[]>(buckets);
    for (std::size_t i = 0; i < buckets; ++i)
        m_bucketCounts[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v)
{
    // First bound >= v is the "le" bucket v belongs to; NaN compares false with every bound
    // and so lands in +Inf, as Prometheus clients do.
    const auto it = std::lower_bound(m_upperBounds.begin(), m_upperBounds.end(), v);
    const auto index =
        std::isnan(v) ? m_upperBounds.size() : static_cast<std::size_t>(it - m_upperBounds.begin());
    m_bucketCounts[index].fetch_add(1, std::memory_order_relaxed);
    m_sum.add(v);
}

quint64 Histogram::count() const
{
    quint64 total = 0;
    for (std::size_t i = 0; i <= m_upperBounds.size(); ++i)
        total += m_bucketCounts[i].load(std::memory_order_relaxed);
    return total;
}

double Histogram::sum() const
{
    return m_sum.load();
}

Histogram::Snapshot Histogram::snapshot() const
{
    Snapshot snap;
    snap.cumulativeCounts.reserve(m_upperBounds.size() + 1);
    quint64 running = 0;
    for (std::size_t i = 0; i <= m_upperBounds.size(); ++i) {
        running += m_bucketCounts[i].load(std::memory_order_relaxed);
        snap.cumulativeCounts.push_back(running);
    }
    snap.count = running;
    snap.sum = m_sum.load();
    return snap;
}

} // namespace veza::metrics
