#pragma once

#include "PrometheusText.h"

#include <QHash>
#include <functional>

namespace veza::oncall {

// ScrapeDelta: what Prometheus' rate() and histogram_quantile() would say about the interval
// between two scrapes of the same /metrics: per-second increases of counters (a series whose
// value fell was reset by a restart, so its whole value is the increase; a series that
// appeared since the previous scrape counts from 0) and quantiles of histograms from the
// increases of their buckets. Pure computation, any thread.
class ScrapeDelta
{
public:
    using Filter = std::function<bool(const MetricSample &)>;

    // `previous` may be null (the first scrape): rates and quantiles are then NaN.
    ScrapeDelta(const Exposition *previous, qint64 previousMs, const Exposition &current,
                qint64 currentMs);

    double seconds() const { return m_seconds; }

    // The sum of the current values of `name`'s samples that pass `filter`. NaN when the
    // server does not export `name`; 0 when it does but no sample passes.
    double gauge(const QString &name, const Filter &filter = {}) const;
    // Per-second increase of the counter `name`, summed over its series that pass `filter`.
    double rate(const QString &name, const Filter &filter = {}) const;
    // histogram_quantile(q, sum by (le) (increase(<histogram>_bucket))), in the histogram's
    // unit. NaN when nothing was observed between the two scrapes.
    double quantile(double q, const QString &histogram, const Filter &filter = {}) const;

    // Prometheus' bucketQuantile: `buckets` are (upper bound, cumulative count), any order,
    // one of them +Inf. NaN without observations or without a +Inf bucket.
    static double bucketQuantile(double q, QList<std::pair<double, double>> buckets);

private:
    double increase(const MetricSample &sample) const;

    const Exposition *m_previous;
    const Exposition &m_current;
    QHash<QString, double> m_previousValues; // series key -> value
    double m_seconds = 0;
};

} // namespace veza::oncall
