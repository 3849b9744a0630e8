#pragma once

#include "Alert.h"
#include "AlertRules.h"

#include <QHash>
#include <QObject>

namespace veza::oncall {

class FigureHistory;

// AlertEvaluator: runs the alert rules over a FigureHistory at every round it records, as
// Prometheus runs its rules: a rule whose expression holds is pending, fires once it has held
// for its `for` (at once for 0s), and resolves at the first round it no longer holds (no value,
// a failed scrape, counts as not holding). Time comes from the rounds' time stamps, so a test
// can record crafted rounds without waiting. GUI thread.
class AlertEvaluator : public QObject
{
    Q_OBJECT

public:
    enum class State { Inactive, Pending, Firing };
    Q_ENUM(State)

    AlertEvaluator(AlertRules rules, const FigureHistory &history, QObject *parent = nullptr);

    const AlertRules &rules() const { return m_rules; }
    // Called at every FigureHistory::recorded; public for an evaluation at another time.
    void evaluate(const QDateTime &at);

    State state(QStringView name) const;
    QList<Alert> firingAlerts() const;
    QList<Alert> pendingAlerts() const;

Q_SIGNALS:
    void alertPending(const veza::oncall::Alert &alert);
    void alertFired(const veza::oncall::Alert &alert);
    // `value` is the value that no longer holds, `since` and `firedAt` those of the firing.
    void alertResolved(const veza::oncall::Alert &alert);
    // The firing alerts after an evaluation that changed them (a new one, one gone, a value).
    void firingAlertsChanged(const QList<veza::oncall::Alert> &alerts);

private:
    struct Active
    {
        State state = State::Inactive;
        Alert alert;
    };

    double valueOf(const AlertRule &rule, qint64 atMs) const;
    Alert makeAlert(const AlertRule &rule, const QDateTime &since, double value) const;
    QList<Alert> alertsIn(State state) const;

    AlertRules m_rules;
    const FigureHistory &m_history;
    QHash<QString, Active> m_active; // by rule name
    QStringList m_lastFiring;        // what firingAlertsChanged last said, to compare
};

} // namespace veza::oncall
