#include "PrometheusText.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace veza::oncall {
namespace {

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9');
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// A cursor over one line; every read either advances or reports what it expected.
class LineReader
{
public:
    explicit LineReader(QByteArrayView line)
        : m_line(line)
    {
    }

    bool atEnd() const { return m_pos >= m_line.size(); }
    char peek() const { return atEnd() ? '\0' : m_line.at(m_pos); }
    void skipBlanks()
    {
        while (!atEnd() && isBlank(peek()))
            ++m_pos;
    }
    bool accept(char c)
    {
        if (peek() != c || atEnd())
            return false;
        ++m_pos;
        return true;
    }
    // A metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) or a label name (no colons).
    QByteArrayView name(bool colons)
    {
        const qsizetype start = m_pos;
        auto ok = [colons](char c, bool first) {
            return (first ? isNameStart(c) : isNameChar(c)) || (colons && c == ':');
        };
        while (!atEnd() && ok(peek(), m_pos == start))
            ++m_pos;
        return m_line.sliced(start, m_pos - start);
    }
    // Up to the next blank or the end of the line.
    QByteArrayView token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && !isBlank(peek()))
            ++m_pos;
        return m_line.sliced(start, m_pos - start);
    }
    QByteArrayView rest() const { return m_line.sliced(std::min(m_pos, m_line.size())); }
    // A double-quoted label value with \\, \" and \n escapes; nullopt + *error otherwise.
    std::optional<QString> quoted(QString *error)
    {
        if (!accept('"')) {
            *error = QStringLiteral("expected '\"' to open a label value");
            return std::nullopt;
        }
        QByteArray out;
        while (!atEnd()) {
            const char c = m_line.at(m_pos++);
            if (c == '"')
                return QString::fromUtf8(out);
            if (c != '\\') {
                out += c;
                continue;
            }
            const char escaped = peek();
            if (atEnd()) {
                break;
            } else if (escaped == '\\' || escaped == '"') {
                out += escaped;
            } else if (escaped == 'n') {
                out += '\n';
            } else {
                *error = QStringLiteral("invalid escape \\%1 in a label value")
                             .arg(QLatin1Char(escaped));
                return std::nullopt;
            }
            ++m_pos;
        }
        *error = QStringLiteral("unterminated label value");
        return std::nullopt;
    }

private:
    QByteArrayView m_line;
    qsizetype m_pos = 0;
};

QString unescapeHelp(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '\\' && i + 1 < text.size() && (text.at(i + 1) == '\\' || text.at(i + 1) == 'n')) {
            out += text.at(++i) == 'n' ? '\n' : '\\';
            continue;
        }
        out += c;
    }
    return QString::fromUtf8(out);
}

// "# HELP name text" and "# TYPE name type"; other comments are ignored. Returns an error
// message, empty when the line was fine.
QString readComment(QByteArrayView line, Exposition &out)
{
    LineReader reader(line.sliced(1));
    reader.skipBlanks();
    const QByteArrayView keyword = reader.token();
    if (keyword != "HELP" && keyword != "TYPE")
        return {};
    reader.skipBlanks();
    const QString family = QString::fromLatin1(reader.name(true));
    if (family.isEmpty())
        return QStringLiteral("%1 without a metric name").arg(QLatin1StringView(keyword));
    if (!reader.atEnd() && !isBlank(reader.peek()))
        return QStringLiteral("invalid metric name in %1").arg(QLatin1StringView(keyword));
    reader.skipBlanks();
    if (keyword == "HELP") {
        out.help.insert(family, unescapeHelp(reader.rest()));
        return {};
    }
    const QByteArrayView type = reader.token();
    reader.skipBlanks();
    static constexpr const char *kTypes[] = {"counter", "gauge", "histogram", "summary", "untyped"};
    if (!reader.atEnd() || std::none_of(std::begin(kTypes), std::end(kTypes),
                                        [&](const char *t) { return type == t; }))
        return QStringLiteral("unknown metric type \"%1\"").arg(QString::fromUtf8(type));
    if (out.types.contains(family))
        return QStringLiteral("second TYPE line for %1").arg(family);
    out.types.insert(family, QString::fromLatin1(type));
    return {};
}

QString readSample(QByteArrayView line, MetricSample &sample)
{
    LineReader reader(line);
    sample.name = QString::fromLatin1(reader.name(true));
    if (sample.name.isEmpty())
        return QStringLiteral("expected a metric name");
    if (!reader.atEnd() && !isBlank(reader.peek()) && reader.peek() != '{')
        return QStringLiteral("invalid character after the metric name");
    reader.skipBlanks();
    if (reader.accept('{')) {
        for (;;) {
            reader.skipBlanks();
            if (reader.accept('}'))
                break;
            const QString labelName = QString::fromLatin1(reader.name(false));
            if (labelName.isEmpty())
                return QStringLiteral("expected a label name");
            reader.skipBlanks();
            if (!reader.accept('='))
                return QStringLiteral("expected '=' after label %1").arg(labelName);
            reader.skipBlanks();
            QString error;
            const std::optional<QString> value = reader.quoted(&error);
            if (!value)
                return error;
            const bool duplicate =
                std::any_of(sample.labels.cbegin(), sample.labels.cend(),
                            [&](const auto &label) { return label.first == labelName; });
            if (duplicate)
                return QStringLiteral("label %1 given twice").arg(labelName);
            sample.labels.append({labelName, *value});
            reader.skipBlanks();
            if (reader.accept('}'))
                break;
            if (!reader.accept(','))
                return QStringLiteral("expected ',' or '}' after label %1").arg(labelName);
        }
        reader.skipBlanks();
    }
    const QByteArrayView valueText = reader.token();
    if (valueText.isEmpty())
        return QStringLiteral("missing value");
    const std::optional<double> value = PrometheusText::parseValue(valueText);
    if (!value)
        return QStringLiteral("invalid value \"%1\"").arg(QString::fromUtf8(valueText));
    sample.value = *value;
    reader.skipBlanks();
    if (!reader.atEnd()) {
        const QByteArrayView timestampText = reader.token();
        bool ok = false;
        const qint64 timestamp = timestampText.toLongLong(&ok);
        if (!ok)
            return QStringLiteral("invalid timestamp \"%1\"").arg(QString::fromUtf8(timestampText));
        sample.timestampMs = timestamp;
        reader.skipBlanks();
        if (!reader.atEnd())
            return QStringLiteral("unexpected text after the timestamp");
    }
    return {};
}

} // namespace

QString MetricSample::label(QStringView labelName) const
{
    for (const auto &[name, value] : labels) {
        if (name == labelName)
            return value;
    }
    return {};
}

QString MetricSample::seriesKey() const
{
    QList<std::pair<QString, QString>> sorted = labels;
    std::sort(sorted.begin(), sorted.end());
    QString key = name;
    key += u'{';
    for (const auto &[labelName, value] : sorted) {
        key += labelName;
        key += u"=\"";
        key += value; // the parser rejects raw quotes in names; values cannot fake a separator
        key += u"\",";
    }
    key += u'}';
    return key;
}

bool Exposition::declares(const QString &family) const
{
    if (types.contains(family) || help.contains(family))
        return true;
    return std::any_of(samples.cbegin(), samples.cend(),
                       [&](const MetricSample &sample) { return sample.name == family; });
}

std::optional<double> PrometheusText::parseValue(QByteArrayView text)
{
    const QByteArray lower = text.toByteArray().toLower();
    if (lower == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    if (lower == "+inf" || lower == "inf")
        return std::numeric_limits<double>::infinity();
    if (lower == "-inf")
        return -std::numeric_limits<double>::infinity();
    if (lower.isEmpty() || lower.contains(' ') || lower.contains('\t'))
        return std::nullopt;
    bool ok = false;
    const double value = lower.toDouble(&ok);
    if (!ok || std::isnan(value))
        return std::nullopt;
    return value;
}

Exposition PrometheusText::parse(QByteArrayView text)
{
    Exposition out;
    int lineNumber = 0;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        QByteArrayView line = text.sliced(start, end - start);
        start = end + 1;
        ++lineNumber;
        if (line.endsWith('\r'))
            line.chop(1);
        while (!line.isEmpty() && isBlank(line.front()))
            line = line.sliced(1);
        while (!line.isEmpty() && isBlank(line.back()))
            line.chop(1);
        if (line.isEmpty())
            continue;
        QString error;
        if (line.front() == '#') {
            error = readComment(line, out);
        } else {
            MetricSample sample;
            error = readSample(line, sample);
            if (error.isEmpty())
                out.samples.append(std::move(sample));
        }
        if (!error.isEmpty())
            out.errors.append({lineNumber, error});
    }
    return out;
}

} // namespace veza::oncall
