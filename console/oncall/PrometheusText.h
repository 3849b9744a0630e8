#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>
#include <utility>

namespace veza::oncall {

// One sample of an exposition: `name{labels} value [timestamp]`.
struct MetricSample
{
    QString name;
    QList<std::pair<QString, QString>> labels; // in the order of the text
    double value = 0;
    std::optional<qint64> timestampMs;

    // The value of label `labelName`, or an empty string when the sample has no such label
    // (Prometheus gives both the same meaning).
    QString label(QStringView labelName) const;
    // name{a="1",b="2"} with the labels sorted by name: the identity of a series.
    QString seriesKey() const;
};

// A line the parser could not read; the rest of the text is still used.
struct ExpositionError
{
    int line = 0; // 1-based
    QString message;
};

// What one GET /metrics returned, parsed.
struct Exposition
{
    QList<MetricSample> samples;
    QList<ExpositionError> errors;
    QHash<QString, QString> types; // metric family -> "counter", "gauge", "histogram", ...
    QHash<QString, QString> help;  // metric family -> unescaped HELP text

    // A family the text declared (HELP or TYPE) or has samples of. For a histogram family
    // `x`, samples are named x_bucket, x_sum and x_count.
    bool declares(const QString &family) const;
};

// PrometheusText: a parser of the Prometheus text exposition format 0.0.4 (what veza-server's
// GET /metrics on PROMETHEUS_PORT returns). Robust to comments, HELP and TYPE lines, escaped
// label values, +Inf, -Inf and NaN; a line it cannot read is reported in `errors` with its
// number and skipped, never a crash. Pure function, any thread.
class PrometheusText
{
public:
    static Exposition parse(QByteArrayView text);

    // The value of a sample or an `le` bound: a float, +Inf, -Inf or NaN (as Go's ParseFloat
    // reads them, case-insensitive). nullopt when the text is not a number.
    static std::optional<double> parseValue(QByteArrayView text);
};

} // namespace veza::oncall
