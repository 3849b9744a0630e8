#include "Alert.h"

#include <QCoreApplication>

namespace veza::oncall {

QString Alert::identity() const
{
    QString key = name;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        if (it.key() == u"alertname")
            continue;
        key += u'\x1f' + it.key() + u'=' + it.value();
    }
    return key;
}

QString Alert::severityName(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical:
        return QStringLiteral("critical");
    case AlertSeverity::Warning:
        return QStringLiteral("warning");
    case AlertSeverity::Info:
        break;
    }
    return QStringLiteral("info");
}

AlertSeverity Alert::severityFromName(QStringView name)
{
    if (name.compare(u"critical", Qt::CaseInsensitive) == 0)
        return AlertSeverity::Critical;
    if (name.compare(u"warning", Qt::CaseInsensitive) == 0)
        return AlertSeverity::Warning;
    return AlertSeverity::Info;
}

QString Alert::severityText(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical:
        return QCoreApplication::translate("OncallAlerts", "critical");
    case AlertSeverity::Warning:
        return QCoreApplication::translate("OncallAlerts", "warning");
    case AlertSeverity::Info:
        break;
    }
    return QCoreApplication::translate("OncallAlerts", "info");
}

} // namespace veza::oncall
