#include "metrics/MetricsRegistry.h"

#include <QSet>

namespace veza::metrics {

struct MetricsRegistry::Entry
{
    Kind kind;
    QString name;
    QString help;
    QStringList labelNames;
    std::vector<double> buckets; // histograms only, normalised
    std::variant<std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>,
                 std::unique_ptr<Family<Histogram>>>
        family;
};

namespace {

QStringList seriesNames(bool histogram, const QString &name)
{
    if (!histogram)
        return {name};
    return {name + QLatin1String("_bucket"), name + QLatin1String("_sum"),
            name + QLatin1String("_count")};
}

QString boundsText(const std::vector<double> &bounds)
{
    QStringList parts;
    for (double b : bounds)
        parts << QString::fromLatin1(TextFormat::formatNumber(b));
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

// One sample line: name{labels[,extra]} value
void appendSample(QByteArray &out, const QByteArray &name, const QByteArray &labelText,
                  const QByteArray &extraLabel, double value)
{
    out += name;
    if (!labelText.isEmpty() || !extraLabel.isEmpty()) {
        out += '{';
        out += labelText;
        if (!labelText.isEmpty() && !extraLabel.isEmpty())
            out += ',';
        out += extraLabel;
        out += '}';
    }
    out += ' ';
    out += TextFormat::formatNumber(value);
    out += '\n';
}

} // namespace

const char *MetricsRegistry::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Counter:
        return "counter";
    case Kind::Gauge:
        return "gauge";
    case Kind::Histogram:
        return "histogram";
    }
    return "untyped";
}

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

template <typename Metric>
Family<Metric> &MetricsRegistry::registerFamily(Kind kind, const QString &name, const QString &help,
                                                const QStringList &labelNames,
                                                std::vector<double> buckets)
{
    // Every failure below is a programming error found at startup; qFatal rather than
    // Q_ASSERT so a release build cannot run with metrics that silently never appear.
    if (!TextFormat::isValidMetricName(name))
        qFatal("veza::metrics: invalid metric name \"%s\"", qPrintable(name));
    QSet<QString> seen;
    for (const QString &label : labelNames) {
        if (!TextFormat::isValidLabelName(label))
            qFatal("veza::metrics: %s: invalid label name \"%s\"", qPrintable(name),
                   qPrintable(label));
        if (kind == Kind::Histogram && label == QLatin1String("le"))
            qFatal("veza::metrics: %s: label \"le\" is reserved for histogram buckets",
                   qPrintable(name));
        if (seen.contains(label))
            qFatal("veza::metrics: %s: duplicate label name \"%s\"", qPrintable(name),
                   qPrintable(label));
        seen.insert(label);
    }
    if (kind == Kind::Histogram) {
        QString error;
        buckets = Histogram::normalizedBounds(std::move(buckets), &error);
        if (!error.isEmpty())
            qFatal("veza::metrics: %s: %s", qPrintable(name), qPrintable(error));
    }

    std::lock_guard lock(m_mutex);
    if (Entry *existing = m_byName.value(name)) {
        const bool same = existing->kind == kind && existing->labelNames == labelNames &&
                          (kind != Kind::Histogram || existing->buckets == buckets);
        if (!same) {
            qFatal("veza::metrics: %s registered twice with different definitions: "
                   "%s with labels (%s)%s%s, then %s with labels (%s)%s%s",
                   qPrintable(name), kindName(existing->kind),
                   qPrintable(existing->labelNames.join(QLatin1String(", "))),
                   existing->kind == Kind::Histogram ? " buckets " : "",
                   existing->kind == Kind::Histogram ? qPrintable(boundsText(existing->buckets))
                                                     : "",
                   kindName(kind), qPrintable(labelNames.join(QLatin1String(", "))),
                   kind == Kind::Histogram ? " buckets " : "",
                   kind == Kind::Histogram ? qPrintable(boundsText(buckets)) : "");
        }
        if (existing->help != help)
            qWarning("veza::metrics: %s registered again with different help text; keeping "
                     "the first (\"%s\")",
                     qPrintable(name), qPrintable(existing->help));
        return *std::get<std::unique_ptr<Family<Metric>>>(existing->family);
    }

    const QStringList series = seriesNames(kind == Kind::Histogram, name);
    for (const QString &s : series) {
        const QString owner = m_seriesOwner.value(s);
        if (!owner.isEmpty())
            qFatal("veza::metrics: %s would expose series %s, which %s already exposes",
                   qPrintable(name), qPrintable(s), qPrintable(owner));
    }

    std::function<std::unique_ptr<Metric>()> factory;
    if constexpr (std::is_same_v<Metric, Histogram>)
        factory = [buckets] { return std::make_unique<Histogram>(buckets); };
    else
        factory = [] { return std::make_unique<Metric>(); };

    auto entry = std::make_unique<Entry>();
    entry->kind = kind;
    entry->name = name;
    entry->help = help;
    entry->labelNames = labelNames;
    entry->buckets = std::move(buckets);
    auto family = std::make_unique<Family<Metric>>(name, labelNames, std::move(factory));
    Family<Metric> &ref = *family;
    entry->family = std::move(family);

    for (const QString &s : series)
        m_seriesOwner.insert(s, name);
    m_byName.insert(name, entry.get());
    m_entries.push_back(std::move(entry));
    return ref;
}

Counter &MetricsRegistry::counter(const QString &name, const QString &help)
{
    return counterFamily(name, help, {}).labels({});
}

Gauge &MetricsRegistry::gauge(const QString &name, const QString &help)
{
    return gaugeFamily(name, help, {}).labels({});
}

Histogram &MetricsRegistry::histogram(const QString &name, const QString &help,
                                      std::vector<double> buckets)
{
    return histogramFamily(name, help, {}, std::move(buckets)).labels({});
}

Family<Counter> &MetricsRegistry::counterFamily(const QString &name, const QString &help,
                                                const QStringList &labelNames)
{
    return registerFamily<Counter>(Kind::Counter, name, help, labelNames, {});
}

Family<Gauge> &MetricsRegistry::gaugeFamily(const QString &name, const QString &help,
                                            const QStringList &labelNames)
{
    return registerFamily<Gauge>(Kind::Gauge, name, help, labelNames, {});
}

Family<Histogram> &MetricsRegistry::histogramFamily(const QString &name, const QString &help,
                                                    const QStringList &labelNames,
                                                    std::vector<double> buckets)
{
    return registerFamily<Histogram>(Kind::Histogram, name, help, labelNames, std::move(buckets));
}

void MetricsRegistry::addCollector(std::function<void()> collector)
{
    std::lock_guard lock(m_collectorMutex);
    m_collectors.push_back(std::move(collector));
}

QByteArray MetricsRegistry::render() const
{
    {
        // Serialised so stateful collectors (ProcessMetrics keeps the previous CPU sample)
        // never run concurrently when two scrapes overlap.
        std::lock_guard lock(m_collectorMutex);
        for (const auto &collector : m_collectors)
            collector();
    }

    // Entries are never removed, so pointers copied under the lock stay valid; rendering then
    // runs without the registry lock and registration is never held up by a slow scrape.
    std::vector<const Entry *> entries;
    {
        std::lock_guard lock(m_mutex);
        entries.reserve(m_entries.size());
        for (const auto &entry : m_entries)
            entries.push_back(entry.get());
    }

    QByteArray out;
    for (const Entry *entry : entries) {
        const QByteArray name = entry->name.toUtf8();
        QByteArray samples;
        std::visit(
            [&](const auto &family) {
                using FamilyType = std::decay_t<decltype(*family)>;
                for (const auto &child : family->children()) {
                    if constexpr (std::is_same_v<FamilyType, Family<Histogram>>) {
                        const Histogram::Snapshot snap = child.metric->snapshot();
                        const auto &bounds = child.metric->upperBounds();
                        const QByteArray bucketName = name + "_bucket";
                        for (std::size_t i = 0; i < snap.cumulativeCounts.size(); ++i) {
                            const QByteArray le = i < bounds.size()
                                                      ? TextFormat::formatNumber(bounds[i])
                                                      : QByteArrayLiteral("+Inf");
                            appendSample(samples, bucketName, *child.labelText, "le=\"" + le + '"',
                                         static_cast<double>(snap.cumulativeCounts[i]));
                        }
                        appendSample(samples, name + "_sum", *child.labelText, {}, snap.sum);
                        appendSample(samples, name + "_count", *child.labelText, {},
                                     static_cast<double>(snap.count));
                    } else {
                        appendSample(samples, name, *child.labelText, {}, child.metric->value());
                    }
                }
            },
            entry->family);
        if (samples.isEmpty())
            continue;
        if (!entry->help.isEmpty())
            out += "# HELP " + name + ' ' + TextFormat::escapeHelp(entry->help) + '\n';
        out += "# TYPE " + name + ' ' + kindName(entry->kind) + '\n';
        out += samples;
    }
    return out;
}

std::vector<double> MetricsRegistry::defaultLatencyBuckets()
{
    return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

} // namespace veza::metrics
