#pragma once

#include "AlertRules.h"
#include "FigureSource.h"

#include <QObject>
#include <QUrl>
#include <chrono>

namespace veza::oncall {

class AlertEvaluator;
class AlertsModel;
class FiguresModel;

// Where the on-call figures come from. A Prometheus URL wins: figures over the whole
// deployment and Prometheus' own alerts. Otherwise the console reads one server itself and
// evaluates the alert rules.
struct OncallSettings
{
    QUrl serverHttpUrl;    // http://host:PORT, for /health/live and /health/ready
    QUrl serverMetricsUrl; // http://host:PROMETHEUS_PORT/metrics
    QUrl prometheusUrl;    // http://prometheus:9090
    QString prometheusJob; // restricts the queries to this job; empty: every target
    std::chrono::milliseconds interval{5000};
    std::chrono::seconds retention{24 * 3600};
};

// OncallSession: the on-call core wired for the dashboard and alert widgets: the source the
// settings name (MetricsSampler or PrometheusSource), a FiguresModel over its history and an
// AlertsModel fed by an AlertEvaluator (own sampling) or by Prometheus. GUI thread.
class OncallSession : public QObject
{
    Q_OBJECT

public:
    // `rules`: the rules the console evaluates (default: the built-in ones). With Prometheus
    // they only give runbook ids to Prometheus' alerts of the same name.
    explicit OncallSession(const OncallSettings &settings, QObject *parent = nullptr);
    OncallSession(const OncallSettings &settings, AlertRules rules, QObject *parent = nullptr);

    bool usesPrometheus() const { return m_usesPrometheus; }
    FigureSource *source() const { return m_source; }
    FiguresModel *figures() const { return m_figures; }
    AlertsModel *alerts() const { return m_alerts; }
    AlertEvaluator *evaluator() const { return m_evaluator; } // null with Prometheus

    void start();
    void stop();

private:
    bool m_usesPrometheus = false;
    FigureSource *m_source = nullptr;
    FiguresModel *m_figures = nullptr;
    AlertsModel *m_alerts = nullptr;
    AlertEvaluator *m_evaluator = nullptr;
};

} // namespace veza::oncall
