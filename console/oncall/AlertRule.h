#pragma once

#include "Alert.h"

#include <QString>
#include <chrono>

namespace veza::oncall {

// One alert rule: `figure OP threshold` (or `delta(figure, window) OP threshold`) held for
// `forDuration` fires an alert of `severity`. Value type.
struct AlertRule
{
    enum class Function { Value, Delta };
    enum class Comparison { Greater, GreaterOrEqual, Less, LessOrEqual, Equal, NotEqual };

    QString name;
    QString figure; // a figure key or FigureHistory::kUp
    Function function = Function::Value;
    std::chrono::milliseconds window{0}; // Delta only
    Comparison comparison = Comparison::Greater;
    double threshold = 0;
    std::chrono::milliseconds forDuration{0};
    AlertSeverity severity = AlertSeverity::Warning;
    QString runbook;
    int line = 0; // where the rules file defines it

    bool holds(double value) const; // false for NaN
    QString expression() const;     // "http_p99_ms > 100", "delta(active_users, 5m) < -1000"

    static QString comparisonText(Comparison comparison);
    static QString durationText(std::chrono::milliseconds duration); // "30s", "2m", "1h"
};

} // namespace veza::oncall
