#include "AlertRule.h"

#include <cmath>

namespace veza::oncall {

bool AlertRule::holds(double value) const
{
    if (std::isnan(value))
        return false;
    switch (comparison) {
    case Comparison::Greater:
        return value > threshold;
    case Comparison::GreaterOrEqual:
        return value >= threshold;
    case Comparison::Less:
        return value < threshold;
    case Comparison::LessOrEqual:
        return value <= threshold;
    case Comparison::Equal:
        return value == threshold;
    case Comparison::NotEqual:
        return value != threshold;
    }
    return false;
}

QString AlertRule::comparisonText(Comparison comparison)
{
    switch (comparison) {
    case Comparison::Greater:
        return QStringLiteral(">");
    case Comparison::GreaterOrEqual:
        return QStringLiteral(">=");
    case Comparison::Less:
        return QStringLiteral("<");
    case Comparison::LessOrEqual:
        return QStringLiteral("<=");
    case Comparison::Equal:
        return QStringLiteral("==");
    case Comparison::NotEqual:
        return QStringLiteral("!=");
    }
    return {};
}

QString AlertRule::durationText(std::chrono::milliseconds duration)
{
    const qint64 ms = duration.count();
    if (ms % 3600000 == 0 && ms > 0)
        return QStringLiteral("%1h").arg(ms / 3600000);
    if (ms % 60000 == 0 && ms > 0)
        return QStringLiteral("%1m").arg(ms / 60000);
    if (ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1ms").arg(ms);
}

QString AlertRule::expression() const
{
    const QString operand = function == Function::Delta
                                ? QStringLiteral("delta(%1, %2)").arg(figure, durationText(window))
                                : figure;
    return operand + u' ' + comparisonText(comparison) + u' ' + QString::number(threshold, 'g', 12);
}

} // namespace veza::oncall
