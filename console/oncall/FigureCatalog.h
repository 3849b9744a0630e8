#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace veza::oncall {

enum class FigureState { Unknown, Ok, Warning, Critical };

enum class FigureUnit {
    Status,       // 1 passing, 0 failing (health probes, up)
    Count,        // connections, users, files
    PerSecond,    // a counter's rate
    PerMinute,    // a rare event's rate
    Milliseconds, // a histogram's quantile
    Percent,
};

// The production guide's target for a figure: `value < threshold` (Below) or `value >
// threshold` (Above). A figure that misses its target is in warning; past `critical` (the
// threshold of a critical alert rule on it) it is critical.
struct FigureTarget
{
    enum class Kind { None, Below, Above };
    Kind kind = Kind::None;
    double threshold = 0;
    std::optional<double> critical;

    bool isSet() const { return kind != Kind::None; }
    bool met(double value) const;
    bool pastCritical(double value) const;
};

struct FigureDefinition
{
    QString key;      // stable: runbooks and alert rules refer to it
    const char *name; // untranslated display name (context "OncallFigures")
    FigureUnit unit;
    FigureTarget target;
    int decimals = 0; // shown after the decimal point
};

// FigureCatalog: the fixed list of figures the on-call dashboard shows, with their display
// name, unit, the production guide's target, and how a value maps to a state and a text. Data
// only; any thread (display texts use the application's translators).
class FigureCatalog
{
public:
    static const QList<FigureDefinition> &all();
    static const FigureDefinition *find(QStringView key);
    static qsizetype indexOf(QStringView key);

    static QString displayName(const FigureDefinition &figure);
    static QString targetText(const FigureDefinition &figure); // "< 50 ms", empty when none
    static FigureState stateOf(const FigureDefinition &figure, double value);
    // The value with its unit ("12.5 ms", "99.95%", "12,345"); "—" when NaN (not exported,
    // no data). `text` replaces the number of a Status figure ("alive", "not ready").
    static QString formatValue(const FigureDefinition &figure, double value,
                               const QString &text = {});
    static QString formatNumber(FigureUnit unit, double value, int decimals);
    static QString stateText(FigureState state);

    static QString unknownText(); // "—"
};

} // namespace veza::oncall
