#pragma once

#include "Runbook.h"

#include <QStringList>
#include <optional>

// The names a runbook file may use and nothing else: the alert names of the console's built-in
// alert rules and the keys of the dashboard's figures (both from console/oncall), the
// severities. A file naming
// anything outside these lists is refused, so a typo shows at load time and not at 3 a.m.
class RunbookVocabulary
{
public:
    static const QStringList &alertNames();
    static const QStringList &figureKeys();
    static const QStringList &severityNames(); // "info", "warning", "critical"

    static bool isAlertName(const QString &name) { return alertNames().contains(name); }
    static bool isFigureKey(const QString &key) { return figureKeys().contains(key); }
    static std::optional<Runbook::Severity> severityFromName(const QString &name);
    static QString severityName(Runbook::Severity severity);
};
