#pragma once

#include "AlertRule.h"

#include <QList>
#include <QStringList>
#include <optional>

namespace veza::oncall {

// AlertRules: the alert rules the console evaluates, read from a rules file (the built-in one
// is console/oncall/alert-rules.conf, which documents the format) and validated on load: each
// error names the file and line. Value type, any thread.
class AlertRules
{
public:
    AlertRules() = default;
    explicit AlertRules(QList<AlertRule> rules);

    // Reads rules from `text`; a line with an error is left out and reported in `errors` as
    // "file:line: message". Two rules with one name are an error.
    static AlertRules parse(QByteArrayView text, const QString &fileName, QStringList *errors);
    static AlertRules fromFile(const QString &path, QStringList *errors);
    // The production guide's rules (alert-rules.conf, built in).
    static AlertRules builtIn();

    const QList<AlertRule> &rules() const { return m_rules; }
    const AlertRule *find(QStringView name) const;
    bool isEmpty() const { return m_rules.isEmpty(); }

    // Changes one rule's `for` (tests, a shorter wait on a staging server); false if no rule
    // has that name.
    bool setForDuration(QStringView name, std::chrono::milliseconds duration);

    // "30s", "2m", "1h", "500ms"; nullopt when not a duration.
    static std::optional<std::chrono::milliseconds> parseDuration(QStringView text);

private:
    QList<AlertRule> m_rules;
};

} // namespace veza::oncall
