#pragma once

#include <QDateTime>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <limits>

namespace veza::oncall {

enum class AlertSeverity { Info, Warning, Critical };

// One alert, evaluated by the console (AlertEvaluator) or reported by Prometheus
// (PrometheusSource). Value type.
struct Alert
{
    QString name; // the rule's name: HighLatency, ServiceDown, ...
    AlertSeverity severity = AlertSeverity::Warning;
    QDateTime since;   // when its condition started to hold (Prometheus' activeAt)
    QDateTime firedAt; // when it fired (`for` after `since`); invalid if unknown or pending
    double value = std::numeric_limits<double>::quiet_NaN(); // at the last evaluation
    QString valueText;                                       // the value with its unit
    QString runbook;               // runbook id (docs/console.md lists the mapping), may be empty
    QString condition;             // what holds, e.g. "http_p99_ms > 100"
    QMap<QString, QString> labels; // Prometheus' labels (instance, job, ...); empty otherwise

    // Name and labels: the same alert from one evaluation to the next.
    QString identity() const;

    static QString severityName(AlertSeverity severity);     // "critical", untranslated
    static AlertSeverity severityFromName(QStringView name); // unknown names: Info
    static QString severityText(AlertSeverity severity);     // translated, for display
};

} // namespace veza::oncall

Q_DECLARE_METATYPE(veza::oncall::Alert)
