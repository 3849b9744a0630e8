#pragma once

#include <QLocale>
#include <QString>

namespace veza::console {

// The console's language: the system's, or the one chosen in View > Language (QSettings key
// "language": "en", "fr", empty for the system's). apply() puts it in force at once: the
// default locale (numbers, dates, durations) and the translators, the console's and Qt's own
// (qtbase: standard buttons, context menus). Installing them sends QEvent::LanguageChange to
// every window, whose widgets then retranslate (changeEvent). The translators are children of
// the application object. GUI thread.
class ConsoleLanguage
{
public:
    static QStringList available(); // "en", "fr"
    static QString chosen();        // empty: the system's
    // Keeps the choice and applies it.
    static void choose(const QString &language);
    // The locale to translate and format with: the chosen language's, else the system's.
    static QLocale locale();
    // Sets the default locale to locale() and replaces the installed translators with its
    // own. False when the console has no translation for it (English is then shown).
    static bool apply();
};

} // namespace veza::console
