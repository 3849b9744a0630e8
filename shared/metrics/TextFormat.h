#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace veza::metrics {

// TextFormat: the low-level pieces of the Prometheus text exposition format 0.0.4 (escaping,
// number spelling, name grammar), kept apart from MetricsRegistry so each rule is testable.
// Thread-safety: stateless; all functions are reentrant.
class TextFormat
{
public:
    TextFormat() = delete;

    // Content-Type to serve render() output with.
    static constexpr const char *contentType = "text/plain; version=0.0.4; charset=utf-8";

    // A sample value or "le" bound as Prometheus (Go's ParseFloat) reads it: integral values
    // without exponent or ".0", others in shortest round-trip form, and "+Inf", "-Inf", "NaN".
    static QByteArray formatNumber(double value);

    // UTF-8 of a HELP text with backslash and line feed escaped (the only escapes HELP has).
    static QByteArray escapeHelp(const QString &help);

    // UTF-8 of a label value with backslash, double quote and line feed escaped.
    static QByteArray escapeLabelValue(const QString &value);

    // `a="x",b="y"`: the inside of a sample's braces, values escaped. Sizes must match.
    static QByteArray formatLabels(const QStringList &names, const QStringList &values);

    // Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*.
    static bool isValidMetricName(const QString &name);
    // Label names: [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for
    // Prometheus-internal labels).
    static bool isValidLabelName(const QString &name);
};

} // namespace veza::metrics
