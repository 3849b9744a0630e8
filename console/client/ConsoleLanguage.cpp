#include "ConsoleLanguage.h"

#include <QSettings>

namespace veza::console {

QStringList ConsoleLanguage::available()
{
    return {QStringLiteral("en"), QStringLiteral("fr")};
}

QString ConsoleLanguage::chosen()
{
    const QString language = QSettings().value(QStringLiteral("language")).toString();
    return available().contains(language) ? language : QString();
}

void ConsoleLanguage::choose(const QString &language)
{
    QSettings().setValue(QStringLiteral("language"),
                         available().contains(language) ? language : QString());
}

QLocale ConsoleLanguage::locale()
{
    const QString language = chosen();
    if (language.isEmpty())
        return QLocale();
    // The chosen language with the system's country when they match (fr_CA stays fr_CA).
    const QLocale system;
    return system.name().startsWith(language) ? system : QLocale(language);
}

} // namespace veza::console
