#include "ScrapeDelta.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace veza::oncall {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool passes(const ScrapeDelta::Filter &filter, const MetricSample &sample)
{
    return !filter || filter(sample);
}

} // namespace

ScrapeDelta::ScrapeDelta(const Exposition *previous, qint64 previousMs, const Exposition &current,
                         qint64 currentMs)
    : m_previous(previous)
    , m_current(current)
{
    if (!previous || currentMs <= previousMs) {
        m_previous = nullptr;
        return;
    }
    m_seconds = double(currentMs - previousMs) / 1000.0;
    m_previousValues.reserve(previous->samples.size());
    for (const MetricSample &sample : previous->samples)
        m_previousValues.insert(sample.seriesKey(), sample.value);
}

double ScrapeDelta::increase(const MetricSample &sample) const
{
    const auto before = m_previousValues.constFind(sample.seriesKey());
    if (before == m_previousValues.cend())
        return sample.value; // a series born since the previous scrape
    return sample.value >= before.value() ? sample.value - before.value() : sample.value;
}

double ScrapeDelta::gauge(const QString &name, const Filter &filter) const
{
    if (!m_current.declares(name))
        return kNaN;
    double sum = 0;
    for (const MetricSample &sample : m_current.samples) {
        if (sample.name == name && passes(filter, sample))
            sum += sample.value;
    }
    return sum;
}

double ScrapeDelta::rate(const QString &name, const Filter &filter) const
{
    if (!m_previous || !m_current.declares(name))
        return kNaN;
    double sum = 0;
    for (const MetricSample &sample : m_current.samples) {
        if (sample.name == name && passes(filter, sample))
            sum += increase(sample);
    }
    return sum / m_seconds;
}

double ScrapeDelta::quantile(double q, const QString &histogram, const Filter &filter) const
{
    if (!m_previous)
        return kNaN;
    const QString bucketName = histogram + QStringLiteral("_bucket");
    std::map<double, double> byBound; // sum by (le)
    for (const MetricSample &sample : m_current.samples) {
        if (sample.name != bucketName || !passes(filter, sample))
            continue;
        const std::optional<double> bound =
            PrometheusText::parseValue(sample.label(u"le").toLatin1());
        if (!bound || std::isnan(*bound))
            continue;
        byBound[*bound] += increase(sample);
    }
    return bucketQuantile(q, QList<std::pair<double, double>>(byBound.cbegin(), byBound.cend()));
}

double ScrapeDelta::bucketQuantile(double q, QList<std::pair<double, double>> buckets)
{
    if (std::isnan(q))
        return kNaN;
    if (q < 0)
        return -std::numeric_limits<double>::infinity();
    if (q > 1)
        return std::numeric_limits<double>::infinity();
    std::sort(buckets.begin(), buckets.end());
    if (buckets.size() < 2 || !std::isinf(buckets.last().first) || buckets.last().first < 0)
        return kNaN;
    // Counts are cumulative; scrapes racing observations can make one dip: keep them rising.
    for (qsizetype i = 1; i < buckets.size(); ++i)
        buckets[i].second = std::max(buckets[i].second, buckets[i - 1].second);
    const double observations = buckets.last().second;
    if (observations <= 0)
        return kNaN;
    double rank = q * observations;
    qsizetype b = 0;
    while (b < buckets.size() - 1 && buckets.at(b).second < rank)
        ++b;
    if (b == buckets.size() - 1)
        return buckets.at(b - 1).first;
    if (b == 0 && buckets.at(0).first <= 0)
        return buckets.at(0).first;
    double start = 0;
    double count = buckets.at(b).second;
    if (b > 0) {
        start = buckets.at(b - 1).first;
        count -= buckets.at(b - 1).second;
        rank -= buckets.at(b - 1).second;
    }
    const double end = buckets.at(b).first;
    return start + (end - start) * (rank / count);
}

} // namespace veza::oncall
