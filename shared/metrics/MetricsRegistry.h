#pragma once

// Developer notes: adding a metric
// --------------------------------
// There is one MetricsRegistry per server instance; it is passed by reference to the modules
// that report metrics (there is deliberately no global). A module registers its metrics once,
// typically in its constructor, and keeps the returned references:
//
//     Counter &m_messages = registry.counter("chat_messages_total", "Chat messages accepted.");
//     Family<Counter> &m_errors = registry.counterFamily(
//         "chat_errors_total", "Chat messages rejected, by reason.", {"reason"});
//     Histogram &m_latency = registry.histogram("chat_delivery_seconds", "Time to fan out.");
//
//     m_messages.inc();                       // hot path: lock-free, any thread
//     m_errors.labels({"too_long"}).inc();    // labels() locks; cache the child if it is hot
//
// Naming (https://prometheus.io/docs/practices/naming/): snake_case, a base unit suffix
// (_seconds, _bytes), counters end in _total (rendered with that full name). Keep label values
// bounded (no user ids, no message text): every distinct value list is a child kept for the
// registry's lifetime.
// Registering an existing name again returns the same metric when kind, label names (and
// buckets) match, so two modules can share one gauge; a mismatch, an invalid name or label
// name aborts at startup with a message naming the metric.
// Values computed on demand (e.g. from /proc) are refreshed by a collector: addCollector(fn)
// runs fn at the start of each render(); see ProcessMetrics.

#include "metrics/Counter.h"
#include "metrics/Family.h"
#include "metrics/Gauge.h"
#include "metrics/Histogram.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <mutex>
#include <variant>
#include <vector>

namespace veza::metrics {

// MetricsRegistry: owns every metric of one server instance and renders them in the
// Prometheus text exposition format 0.0.4 (for GET /metrics).
// Thread-safety: all members may be called from any thread. Registration and render() share a
// mutex that is never held while a metric is updated, so updaters never wait for a scrape.
// Metrics, families and children live as long as the registry; references to them stay valid.
class MetricsRegistry
{
public:
    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry &) = delete;
    MetricsRegistry &operator=(const MetricsRegistry &) = delete;

    Counter &counter(const QString &name, const QString &help);
    Gauge &gauge(const QString &name, const QString &help);
    Histogram &histogram(const QString &name, const QString &help,
                         std::vector<double> buckets = defaultLatencyBuckets());

    Family<Counter> &counterFamily(const QString &name, const QString &help,
                                   const QStringList &labelNames);
    Family<Gauge> &gaugeFamily(const QString &name, const QString &help,
                               const QStringList &labelNames);
    Family<Histogram> &histogramFamily(const QString &name, const QString &help,
                                       const QStringList &labelNames,
                                       std::vector<double> buckets = defaultLatencyBuckets());

    // Runs collector at the start of each render(), e.g. to refresh gauges from /proc.
    // Collectors run one render at a time (serialised), in the order added, on the rendering
    // thread. A collector may update or register metrics but must not call addCollector().
    void addCollector(std::function<void()> collector);

    // The whole registry in text format 0.0.4: families in registration order, children in
    // creation order; families with no children yet (labelled, never used) are left out.
    QByteArray render() const;

    // Value for the Content-Type header of the /metrics response.
    static QByteArray contentType() { return QByteArray(TextFormat::contentType); }

    // Request-latency buckets in seconds, 0.5 ms .. 10 s.
    static std::vector<double> defaultLatencyBuckets();

private:
    enum class Kind { Counter, Gauge, Histogram };
    struct Entry;
    static const char *kindName(Kind kind); // the # TYPE spelling

    template <typename Metric>
    Family<Metric> &registerFamily(Kind kind, const QString &name, const QString &help,
                                   const QStringList &labelNames, std::vector<double> buckets);

    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<Entry>> m_entries; // registration order; never shrinks
    QHash<QString, Entry *> m_byName;
    // Every sample name in use (histograms own x_bucket, x_sum, x_count) -> owning metric, so a
    // later "x_count" gauge cannot silently collide with histogram "x".
    QHash<QString, QString> m_seriesOwner;

    mutable std::mutex m_collectorMutex;
    std::vector<std::function<void()>> m_collectors;
};

} // namespace veza::metrics
