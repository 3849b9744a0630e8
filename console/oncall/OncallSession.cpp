#include "OncallSession.h"

#include "AlertEvaluator.h"
#include "AlertsModel.h"
#include "FiguresModel.h"
#include "MetricsSampler.h"
#include "PrometheusSource.h"

namespace veza::oncall {

OncallSession::OncallSession(const OncallSettings &settings, QObject *parent)
    : OncallSession(settings, AlertRules::builtIn(), parent)
{
}

OncallSession::OncallSession(const OncallSettings &settings, AlertRules rules, QObject *parent)
    : QObject(parent)
    , m_usesPrometheus(settings.prometheusUrl.isValid())
    , m_figures(new FiguresModel(this))
    , m_alerts(new AlertsModel(this))
{
    if (m_usesPrometheus) {
        auto *prometheus = new PrometheusSource(this);
        prometheus->setPrometheusUrl(settings.prometheusUrl);
        prometheus->setJob(settings.prometheusJob);
        prometheus->setRunbookRules(rules);
        connect(prometheus, &PrometheusSource::firingAlertsChanged, m_alerts,
                &AlertsModel::setAlerts);
        m_source = prometheus;
    } else {
        auto *sampler = new MetricsSampler(this);
        sampler->setMetricsUrl(settings.serverMetricsUrl);
        sampler->setHealthBaseUrl(settings.serverHttpUrl);
        m_source = sampler;
        m_evaluator = new AlertEvaluator(std::move(rules), sampler->history(), this);
        connect(m_evaluator, &AlertEvaluator::firingAlertsChanged, m_alerts,
                &AlertsModel::setAlerts);
    }
    m_source->setInterval(settings.interval);
    m_source->setRetention(settings.retention);
    m_figures->setHistory(&m_source->history());
}

void OncallSession::start()
{
    m_source->start();
}

void OncallSession::stop()
{
    m_source->stop();
}

} // namespace veza::oncall
