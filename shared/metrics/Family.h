#pragma once

#include "metrics/TextFormat.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace veza::metrics {

// Family: one metric name with a fixed list of label names, holding a child metric (Counter,
// Gauge or Histogram) per distinct list of label values. MetricsRegistry creates and owns
// families; a module keeps the reference it was given.
// Thread-safety: labels() may be called from any thread; it takes a mutex, so hot paths should
// call it once and cache the returned child, which is never destroyed or moved before the
// registry is. Children are updated lock-free (see their classes).
template <typename Metric> class Family
{
public:
    // One child as the renderer sees it: escaped label text ready to put between braces.
    struct ChildView
    {
        const QByteArray *labelText;
        const Metric *metric;
    };

    Family(QString name, QStringList labelNames, std::function<std::unique_ptr<Metric>()> factory)
        : m_name(std::move(name))
        , m_labelNames(std::move(labelNames))
        , m_factory(std::move(factory))
    {
    }
    Family(const Family &) = delete;
    Family &operator=(const Family &) = delete;

    // The child for these label values (same order as labelNames()), created on first use.
    // Passing the wrong number of values is a programming error and aborts.
    Metric &labels(const QStringList &labelValues)
    {
        if (labelValues.size() != m_labelNames.size()) {
            qFatal("veza::metrics: %s has labels (%s) but was given %lld value(s) (%s)",
                   qPrintable(m_name), qPrintable(m_labelNames.join(QLatin1String(", "))),
                   static_cast<long long>(labelValues.size()),
                   qPrintable(labelValues.join(QLatin1String(", "))));
        }
        std::lock_guard lock(m_mutex);
        if (Metric *existing = m_index.value(labelValues))
            return *existing;
        auto child = std::make_unique<Child>();
        child->labelText = TextFormat::formatLabels(m_labelNames, labelValues);
        child->metric = m_factory();
        Metric *metric = child->metric.get();
        m_children.push_back(std::move(child));
        m_index.insert(labelValues, metric);
        return *metric;
    }

    const QString &name() const { return m_name; }
    const QStringList &labelNames() const { return m_labelNames; }

    // The children in creation order. Only the list is copied under the mutex; the children
    // themselves stay live, so a scrape never blocks updaters and only briefly blocks labels().
    std::vector<ChildView> children() const
    {
        std::lock_guard lock(m_mutex);
        std::vector<ChildView> views;
        views.reserve(m_children.size());
        for (const auto &child : m_children)
            views.push_back(ChildView{&child->labelText, child->metric.get()});
        return views;
    }

private:
    struct Child
    {
        QByteArray labelText;
        std::unique_ptr<Metric> metric;
    };

    const QString m_name;
    const QStringList m_labelNames;
    const std::function<std::unique_ptr<Metric>()> m_factory;
    mutable std::mutex m_mutex;
    // unique_ptr elements so growing the vector never moves a child callers hold.
    std::vector<std::unique_ptr<Child>> m_children;
    QHash<QStringList, Metric *> m_index;
};

} // namespace veza::metrics
