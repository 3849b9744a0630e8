#include "AlertEvaluator.h"

#include "FigureCatalog.h"
#include "FigureHistory.h"
#include "OncallLog.h"

#include <cmath>
#include <limits>

namespace veza::oncall {
namespace {

// The value with the unit of the rule's figure (`up` and deltas of counts: a plain number).
QString valueText(const AlertRule &rule, double value)
{
    const FigureDefinition *figure = FigureCatalog::find(rule.figure);
    return figure ? FigureCatalog::formatNumber(figure->unit, value, figure->decimals)
                  : FigureCatalog::formatNumber(FigureUnit::Count, value, 0);
}

} // namespace

AlertEvaluator::AlertEvaluator(AlertRules rules, const FigureHistory &history, QObject *parent)
    : QObject(parent)
    , m_rules(std::move(rules))
    , m_history(history)
{
    connect(&history, &FigureHistory::recorded, this, &AlertEvaluator::evaluate);
}

double AlertEvaluator::valueOf(const AlertRule &rule, qint64 atMs) const
{
    const FigureSeries &series = m_history.series(rule.figure);
    const double now = series.valueAt(atMs);
    if (rule.function == AlertRule::Function::Value || std::isnan(now))
        return now;
    const std::optional<FigurePoint> first = series.firstValueIn(atMs - rule.window.count(), atMs);
    return first ? now - first->value : std::numeric_limits<double>::quiet_NaN();
}

Alert AlertEvaluator::makeAlert(const AlertRule &rule, const QDateTime &since, double value) const
{
    Alert alert;
    alert.name = rule.name;
    alert.severity = rule.severity;
    alert.since = since;
    alert.value = value;
    alert.valueText = valueText(rule, value);
    alert.runbook = rule.runbook;
    alert.condition = rule.expression();
    if (rule.forDuration.count() > 0)
        alert.condition += QStringLiteral(" for ") + AlertRule::durationText(rule.forDuration);
    return alert;
}

void AlertEvaluator::evaluate(const QDateTime &at)
{
    const qint64 atMs = at.toMSecsSinceEpoch();
    for (const AlertRule &rule : m_rules.rules()) {
        Active &active = m_active[rule.name];
        const double value = valueOf(rule, atMs);
        if (!rule.holds(value)) {
            if (active.state == State::Firing) {
                active.alert.value = value;
                active.alert.valueText = valueText(rule, value);
                qCInfo(lcOncall) << "alert resolved" << rule.name;
                Q_EMIT alertResolved(active.alert);
            }
            active = Active();
            continue;
        }
        if (active.state == State::Inactive) {
            active.alert = makeAlert(rule, at, value);
            active.state = State::Pending;
            if (rule.forDuration.count() > 0)
                Q_EMIT alertPending(active.alert);
        } else {
            active.alert.value = value;
            active.alert.valueText = valueText(rule, value);
        }
        if (active.state == State::Pending &&
            atMs - active.alert.since.toMSecsSinceEpoch() >= rule.forDuration.count()) {
            active.state = State::Firing;
            active.alert.firedAt = at;
            qCWarning(lcOncall) << "alert firing" << rule.name << active.alert.valueText;
            Q_EMIT alertFired(active.alert);
        }
    }

    const QList<Alert> firing = firingAlerts();
    QStringList summary;
    for (const Alert &alert : firing)
        summary.append(alert.identity() + u'=' + alert.valueText);
    if (summary != m_lastFiring) {
        m_lastFiring = summary;
        Q_EMIT firingAlertsChanged(firing);
    }
}

AlertEvaluator::State AlertEvaluator::state(QStringView name) const
{
    const auto it = m_active.constFind(name.toString());
    return it == m_active.cend() ? State::Inactive : it->state;
}

QList<Alert> AlertEvaluator::alertsIn(State state) const
{
    QList<Alert> out;
    // In the rules' order, so views and tests see a stable list.
    for (const AlertRule &rule : m_rules.rules()) {
        const auto it = m_active.constFind(rule.name);
        if (it != m_active.cend() && it->state == state)
            out.append(it->alert);
    }
    return out;
}

QList<Alert> AlertEvaluator::firingAlerts() const
{
    return alertsIn(State::Firing);
}

QList<Alert> AlertEvaluator::pendingAlerts() const
{
    return alertsIn(State::Pending);
}

} // namespace veza::oncall
