#pragma once

#include "FigureHistory.h"
#include "PrometheusText.h"

#include <QHash>

namespace veza::oncall {

// ScrapeFigures: the dashboard's figures from two successive scrapes of one veza-server's
// /metrics (docs/metrics.md names every series used here). Gauges come from the current
// scrape, rates and P99s from the increases between the two, as Prometheus' rate() and
// histogram_quantile() would. A figure whose series the server does not export stays unknown.
// The health figures are not here: they come from /health/*. Pure computation, any thread.
class ScrapeFigures
{
public:
    // `previous` may be null (first scrape): rates and quantiles are then unknown.
    static QHash<QString, FigureReading> compute(const Exposition *previous, qint64 previousMs,
                                                 const Exposition &current, qint64 currentMs);
};

} // namespace veza::oncall
