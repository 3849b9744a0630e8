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
// call it once and cache the returned child, which is never moved and lives until the registry
// goes or remove() drops it. Children are updated lock-free (see their classes).
template <typename Metric> class Family
{
public:
    // One child as the renderer sees it: escaped label text ready to put between braces. It
    // keeps the child alive while a scrape reads it, even if remove() drops it meanwhile.
    struct ChildView
    {
        const QByteArray *labelText;
        const Metric *metric;
        std::shared_ptr<const void> keepAlive;
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
        auto child = std::make_shared<Child>();
        child->labelText = TextFormat::formatLabels(m_labelNames, labelValues);
        child->metric = m_factory();
        Metric *metric = child->metric.get();
        m_children.push_back(std::move(child));
        m_index.insert(labelValues, metric);
        return *metric;
    }

    // Drops the child of these label values, so its series leaves the exposition (a stream that
    // ended). False when there was none. A reference labels() returned for it must not be used
    // afterwards: only remove series whose updaters ask labels() each time, on the thread that
    // removes them, or have stopped.
    bool remove(const QStringList &labelValues)
    {
        std::lock_guard lock(m_mutex);
        Metric *metric = m_index.take(labelValues);
        if (!metric)
            return false;
        std::erase_if(m_children,
                      [metric](const auto &child) { return child->metric.get() == metric; });
        return true;
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
            views.push_back(ChildView{&child->labelText, child->metric.get(), child});
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
    // Pointer elements so growing the vector never moves a child callers hold; shared so a
    // scrape in progress keeps a removed child until it is done with it.
    std::vector<std::shared_ptr<Child>> m_children;
    QHash<QStringList, Metric *> m_index;
};

} // namespace veza::metrics
