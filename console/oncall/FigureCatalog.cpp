#include "FigureCatalog.h"

#include <QCoreApplication>
#include <QLocale>
#include <cmath>

namespace veza::oncall {
namespace {

using Kind = FigureTarget::Kind;

FigureTarget none()
{
    return {};
}

FigureTarget below(double threshold, std::optional<double> critical = std::nullopt)
{
    return {Kind::Below, threshold, critical};
}

FigureTarget above(double threshold)
{
    return {Kind::Above, threshold, std::nullopt};
}

// Targets: the production guide's "MONITORING & ALERTING" section. Critical thresholds: its
// critical alert rules (HighLatency > 100 ms, HighErrorRate > 1%). message_p99_ms: the guide's
// "Spécifications Techniques" (< 10 ms P99 for messages). Figures the guide gives no target
// for are ok whenever they have a value.
QList<FigureDefinition> makeCatalog()
{
    return {
        {QStringLiteral("health_live"), QT_TRANSLATE_NOOP("OncallFigures", "Server alive"),
         FigureUnit::Status, none(), 0},
        {QStringLiteral("health_ready"), QT_TRANSLATE_NOOP("OncallFigures", "Server ready"),
         FigureUnit::Status, none(), 0},
        {QStringLiteral("connections"), QT_TRANSLATE_NOOP("OncallFigures", "WebSocket connections"),
         FigureUnit::Count, below(90000), 0},
        {QStringLiteral("active_users"), QT_TRANSLATE_NOOP("OncallFigures", "Active users"),
         FigureUnit::Count, none(), 0},
        {QStringLiteral("messages_per_second"), QT_TRANSLATE_NOOP("OncallFigures", "Chat messages"),
         FigureUnit::PerSecond, none(), 1},
        {QStringLiteral("http_p99_ms"), QT_TRANSLATE_NOOP("OncallFigures", "HTTP latency P99"),
         FigureUnit::Milliseconds, below(50, 100), 1},
        {QStringLiteral("message_p99_ms"),
         QT_TRANSLATE_NOOP("OncallFigures", "Message latency P99"), FigureUnit::Milliseconds,
         below(10), 1},
        {QStringLiteral("error_rate_percent"),
         QT_TRANSLATE_NOOP("OncallFigures", "HTTP errors (5xx)"), FigureUnit::Percent,
         below(0.1, 1), 2},
        {QStringLiteral("cpu_percent"), QT_TRANSLATE_NOOP("OncallFigures", "CPU"),
         FigureUnit::Percent, below(80), 1},
        {QStringLiteral("memory_percent"), QT_TRANSLATE_NOOP("OncallFigures", "Memory"),
         FigureUnit::Percent, below(85), 1},
        {QStringLiteral("streams"), QT_TRANSLATE_NOOP("OncallFigures", "Live streams"),
         FigureUnit::Count, none(), 0},
        {QStringLiteral("listeners"), QT_TRANSLATE_NOOP("OncallFigures", "Listeners"),
         FigureUnit::Count, none(), 0},
        {QStringLiteral("stream_degraded_percent"),
         QT_TRANSLATE_NOOP("OncallFigures", "Degraded stream quality"), FigureUnit::Percent,
         below(5), 1},
        {QStringLiteral("db_query_p99_ms"),
         QT_TRANSLATE_NOOP("OncallFigures", "Database query P99"), FigureUnit::Milliseconds, none(),
         1},
        {QStringLiteral("delivery_success_percent"),
         QT_TRANSLATE_NOOP("OncallFigures", "Message delivery success"), FigureUnit::Percent,
         above(99.9), 2},
        {QStringLiteral("slow_consumer_disconnects_per_minute"),
         QT_TRANSLATE_NOOP("OncallFigures", "Slow consumer disconnects"), FigureUnit::PerMinute,
         none(), 1},
        {QStringLiteral("open_files"), QT_TRANSLATE_NOOP("OncallFigures", "Open files"),
         FigureUnit::Count, none(), 0},
    };
}

} // namespace

bool FigureTarget::met(double value) const
{
    switch (kind) {
    case Kind::Below:
        return value < threshold;
    case Kind::Above:
        return value > threshold;
    case Kind::None:
        break;
    }
    return true;
}

bool FigureTarget::pastCritical(double value) const
{
    if (!critical)
        return false;
    return kind == Kind::Above ? value < *critical : value > *critical;
}

const QList<FigureDefinition> &FigureCatalog::all()
{
    static const QList<FigureDefinition> catalog = makeCatalog();
    return catalog;
}

qsizetype FigureCatalog::indexOf(QStringView key)
{
    const QList<FigureDefinition> &figures = all();
    for (qsizetype i = 0; i < figures.size(); ++i) {
        if (figures.at(i).key == key)
            return i;
    }
    return -1;
}

const FigureDefinition *FigureCatalog::find(QStringView key)
{
    const qsizetype index = indexOf(key);
    return index < 0 ? nullptr : &all().at(index);
}

QString FigureCatalog::displayName(const FigureDefinition &figure)
{
    return QCoreApplication::translate("OncallFigures", figure.name);
}

QString FigureCatalog::unknownText()
{
    return QStringLiteral("\u2014");
}

QString FigureCatalog::formatNumber(FigureUnit unit, double value, int decimals)
{
    if (std::isnan(value))
        return unknownText();
    const QLocale locale;
    const QString number = unit == FigureUnit::Count || unit == FigureUnit::Status
                               ? locale.toString(std::llround(value))
                               : locale.toString(value, 'f', decimals);
    switch (unit) {
    case FigureUnit::Status:
    case FigureUnit::Count:
        return number;
    case FigureUnit::PerSecond:
        return QCoreApplication::translate("OncallFigures", "%1/s").arg(number);
    case FigureUnit::PerMinute:
        return QCoreApplication::translate("OncallFigures", "%1/min").arg(number);
    case FigureUnit::Milliseconds:
        return QCoreApplication::translate("OncallFigures", "%1 ms").arg(number);
    case FigureUnit::Percent:
        return QCoreApplication::translate("OncallFigures", "%1%").arg(number);
    }
    return number;
}

QString FigureCatalog::formatValue(const FigureDefinition &figure, double value,
                                   const QString &text)
{
    if (figure.unit == FigureUnit::Status) {
        if (!text.isEmpty())
            return text;
        if (std::isnan(value))
            return unknownText();
        return value >= 1 ? QCoreApplication::translate("OncallFigures", "passing")
                          : QCoreApplication::translate("OncallFigures", "failing");
    }
    return formatNumber(figure.unit, value, figure.decimals);
}

QString FigureCatalog::targetText(const FigureDefinition &figure)
{
    const FigureTarget &target = figure.target;
    if (!target.isSet())
        return {};
    // Thresholds are round numbers: as few decimals as they need.
    const int decimals = target.threshold == std::trunc(target.threshold) ? 0 : 1;
    const QString threshold = formatNumber(figure.unit, target.threshold, decimals);
    return target.kind == FigureTarget::Kind::Below
               ? QCoreApplication::translate("OncallFigures", "< %1").arg(threshold)
               : QCoreApplication::translate("OncallFigures", "> %1").arg(threshold);
}

FigureState FigureCatalog::stateOf(const FigureDefinition &figure, double value)
{
    if (std::isnan(value))
        return FigureState::Unknown;
    if (figure.unit == FigureUnit::Status)
        return value >= 1 ? FigureState::Ok : FigureState::Critical;
    if (figure.target.pastCritical(value))
        return FigureState::Critical;
    return figure.target.met(value) ? FigureState::Ok : FigureState::Warning;
}

QString FigureCatalog::stateText(FigureState state)
{
    switch (state) {
    case FigureState::Ok:
        return QCoreApplication::translate("OncallFigures", "ok");
    case FigureState::Warning:
        return QCoreApplication::translate("OncallFigures", "warning");
    case FigureState::Critical:
        return QCoreApplication::translate("OncallFigures", "critical");
    case FigureState::Unknown:
        break;
    }
    return QCoreApplication::translate("OncallFigures", "unknown");
}

} // namespace veza::oncall
