#include "AlertRules.h"

#include "FigureCatalog.h"
#include "FigureHistory.h"
#include "OncallLog.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>

namespace veza::oncall {
namespace {

std::optional<AlertRule::Comparison> parseComparison(QStringView text)
{
    using C = AlertRule::Comparison;
    static const std::pair<const char16_t *, C> kOperators[] = {
        {u">", C::Greater},      {u">=", C::GreaterOrEqual}, {u"<", C::Less},
        {u"<=", C::LessOrEqual}, {u"==", C::Equal},          {u"!=", C::NotEqual}};
    for (const auto &[name, comparison] : kOperators) {
        if (text == QStringView(name))
            return comparison;
    }
    return std::nullopt;
}

// "NAME EXPRESSION for D severity S runbook R" -> a rule, or an error message.
std::optional<AlertRule> parseLine(const QString &line, QString *error)
{
    static const QRegularExpression kLine(
        QStringLiteral(R"(^(\S+)\s+(.+?)\s+for\s+(\S+)\s+severity\s+(\S+)\s+runbook\s+(\S+)$)"));
    static const QRegularExpression kName(QStringLiteral(R"(^[A-Za-z][A-Za-z0-9_]*$)"));
    static const QRegularExpression kExpression(QStringLiteral(
        R"(^(?:delta\(\s*([a-z_0-9]+)\s*,\s*([0-9a-z]+)\s*\)|([a-z_0-9]+))\s*(>=|<=|==|!=|>|<)\s*(\S+)$)"));
    static const QRegularExpression kRunbook(QStringLiteral(R"(^[a-z0-9]+(-[a-z0-9]+)*$)"));

    const QRegularExpressionMatch match = kLine.match(line);
    if (!match.hasMatch()) {
        *error = QCoreApplication::translate(
            "OncallAlertRules",
            "expected NAME EXPRESSION for DURATION severity SEVERITY runbook RUNBOOK");
        return std::nullopt;
    }
    AlertRule rule;
    rule.name = match.captured(1);
    if (!kName.match(rule.name).hasMatch()) {
        *error = QCoreApplication::translate("OncallAlertRules", "invalid alert name \"%1\"")
                     .arg(rule.name);
        return std::nullopt;
    }
    const QRegularExpressionMatch expression = kExpression.match(match.captured(2));
    if (!expression.hasMatch()) {
        *error = QCoreApplication::translate("OncallAlertRules", "invalid expression \"%1\"")
                     .arg(match.captured(2));
        return std::nullopt;
    }
    if (expression.hasCaptured(1)) {
        rule.function = AlertRule::Function::Delta;
        rule.figure = expression.captured(1);
        const auto window = AlertRules::parseDuration(expression.captured(2));
        if (!window || window->count() <= 0) {
            *error = QCoreApplication::translate("OncallAlertRules", "invalid window \"%1\"")
                         .arg(expression.captured(2));
            return std::nullopt;
        }
        rule.window = *window;
    } else {
        rule.figure = expression.captured(3);
    }
    if (rule.figure != FigureHistory::kUp && !FigureCatalog::find(rule.figure)) {
        *error = QCoreApplication::translate("OncallAlertRules", "unknown figure \"%1\"")
                     .arg(rule.figure);
        return std::nullopt;
    }
    rule.comparison = *parseComparison(expression.captured(4));
    bool numberOk = false;
    rule.threshold = expression.captured(5).toDouble(&numberOk);
    if (!numberOk) {
        *error = QCoreApplication::translate("OncallAlertRules", "invalid threshold \"%1\"")
                     .arg(expression.captured(5));
        return std::nullopt;
    }
    const auto forDuration = AlertRules::parseDuration(match.captured(3));
    if (!forDuration) {
        *error = QCoreApplication::translate("OncallAlertRules", "invalid duration \"%1\"")
                     .arg(match.captured(3));
        return std::nullopt;
    }
    rule.forDuration = *forDuration;
    const QString severity = match.captured(4);
    if (severity != u"critical" && severity != u"warning" && severity != u"info") {
        *error = QCoreApplication::translate("OncallAlertRules",
                                             "unknown severity \"%1\" (critical, warning or info)")
                     .arg(severity);
        return std::nullopt;
    }
    rule.severity = Alert::severityFromName(severity);
    rule.runbook = match.captured(5);
    if (!kRunbook.match(rule.runbook).hasMatch()) {
        *error = QCoreApplication::translate("OncallAlertRules", "invalid runbook id \"%1\"")
                     .arg(rule.runbook);
        return std::nullopt;
    }
    return rule;
}

} // namespace

AlertRules::AlertRules(QList<AlertRule> rules)
    : m_rules(std::move(rules))
{
}

std::optional<std::chrono::milliseconds> AlertRules::parseDuration(QStringView text)
{
    static const QRegularExpression kDuration(QStringLiteral(R"(^([0-9]+)(ms|s|m|h)$)"));
    const QRegularExpressionMatch match = kDuration.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    bool ok = false;
    const qint64 amount = match.capturedView(1).toLongLong(&ok);
    if (!ok || amount > 10'000'000)
        return std::nullopt;
    const QStringView unit = match.capturedView(2);
    const qint64 scale = unit == u"ms" ? 1 : unit == u"s" ? 1000 : unit == u"m" ? 60000 : 3600000;
    return std::chrono::milliseconds(amount * scale);
}

AlertRules AlertRules::parse(QByteArrayView text, const QString &fileName, QStringList *errors)
{
    QList<AlertRule> rules;
    const QStringList lines = QString::fromUtf8(text).split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const int lineNumber = int(i + 1);
        QString error;
        std::optional<AlertRule> rule = parseLine(line, &error);
        if (rule) {
            const auto same = [&](const AlertRule &other) { return other.name == rule->name; };
            const auto earlier = std::find_if(rules.cbegin(), rules.cend(), same);
            if (earlier != rules.cend()) {
                error = QCoreApplication::translate("OncallAlertRules",
                                                    "%1 is already defined on line %2")
                            .arg(rule->name)
                            .arg(earlier->line);
                rule.reset();
            }
        }
        if (!rule) {
            if (errors)
                errors->append(
                    QStringLiteral("%1:%2: %3").arg(fileName).arg(lineNumber).arg(error));
            continue;
        }
        rule->line = lineNumber;
        rules.append(*rule);
    }
    return AlertRules(std::move(rules));
}

AlertRules AlertRules::fromFile(const QString &path, QStringList *errors)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (errors)
            errors->append(QStringLiteral("%1: %2").arg(path, file.errorString()));
        return {};
    }
    return parse(file.readAll(), path, errors);
}

AlertRules AlertRules::builtIn()
{
    QStringList errors;
    AlertRules rules = fromFile(QStringLiteral(":/oncall/alert-rules.conf"), &errors);
    // A test reads the file: an error here is a build without the resource.
    for (const QString &error : std::as_const(errors))
        qCWarning(lcOncall) << "built-in alert rules:" << error;
    return rules;
}

const AlertRule *AlertRules::find(QStringView name) const
{
    for (const AlertRule &rule : m_rules) {
        if (rule.name == name)
            return &rule;
    }
    return nullptr;
}

bool AlertRules::setForDuration(QStringView name, std::chrono::milliseconds duration)
{
    for (AlertRule &rule : m_rules) {
        if (rule.name == name) {
            rule.forDuration = duration;
            return true;
        }
    }
    return false;
}

} // namespace veza::oncall
