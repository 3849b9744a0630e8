#pragma once

#include <QLocale>
#include <QString>

namespace veza::console {

// The console's language: the system's, or the one chosen in View > Language (QSettings key
// "language": "en", "fr", empty for the system's). Read once at start: a change applies at
// the next start. GUI thread.
class ConsoleLanguage
{
public:
    static QStringList available(); // "en", "fr"
    static QString chosen();        // empty: the system's
    static void choose(const QString &language);
    // The locale to translate and format with: the chosen language's, else the system's.
    static QLocale locale();
};

} // namespace veza::console
