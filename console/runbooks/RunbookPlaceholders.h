#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

// Placeholders in a runbook command: {name}, a lower-case letter then letters, digits or '_'.
// Braces that are shell or tool syntax stay as they are: ${var}, %{http_code} (curl -w),
// {.spec.replicas} (jsonpath), '{print $1}' (awk). Any thread.
class RunbookPlaceholders
{
public:
    // The names used in `command`, each once, in order of first use.
    static QStringList namesIn(const QString &command);
    // `command` with each placeholder that `values` has replaced by its value; the others stay.
    static QString fill(const QString &command, const QHash<QString, QString> &values);
};
