#include "metrics/TextFormat.h"

#include <charconv>
#include <cmath>

namespace veza::metrics {

namespace {

bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

} // namespace

QByteArray TextFormat::formatNumber(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (value == 0.0)
        return QByteArrayLiteral("0"); // also folds -0, which would read as noise in a scrape
    // Integral values below 2^53 are exact in a double, so print them as plain integers: counts
    // then read "1500000" rather than the "1.5e+06" a shortest-form formatter may choose.
    constexpr double exactIntegerLimit = 9007199254740992.0; // 2^53
    if (std::fabs(value) < exactIntegerLimit && std::trunc(value) == value)
        return QByteArray::number(static_cast<qint64>(value));
    // Otherwise the shortest text that parses back to the same double: no precision lost and
    // none invented ("0.1", not "0.10000000000000001"). General format keeps bucket bounds
    // such as 0.0005 in plain notation (plain shortest form would pick "5e-04").
    char buffer[32];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
    return QByteArray(buffer, result.ptr - buffer);
}

QByteArray TextFormat::escapeHelp(const QString &help)
{
    const QByteArray utf8 = help.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray TextFormat::escapeLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray TextFormat::formatLabels(const QStringList &names, const QStringList &values)
{
    Q_ASSERT(names.size() == values.size());
    QByteArray out;
    for (qsizetype i = 0; i < names.size() && i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        out += names[i].toUtf8();
        out += "=\"";
        out += escapeLabelValue(values[i]);
        out += '"';
    }
    return out;
}

bool TextFormat::isValidMetricName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        const bool ok = isAsciiLetter(c) || c == u'_' || c == u':' || (i > 0 && isAsciiDigit(c));
        if (!ok)
            return false;
    }
    return true;
}

bool TextFormat::isValidLabelName(const QString &name)
{
    if (name.isEmpty() || name.startsWith(QLatin1String("__")))
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        const bool ok = isAsciiLetter(c) || c == u'_' || (i > 0 && isAsciiDigit(c));
        if (!ok)
            return false;
    }
    return true;
}

} // namespace veza::metrics
