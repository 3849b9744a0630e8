#include "ConsoleLanguage.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QSettings>
#include <QTranslator>

namespace veza::console {
namespace {

const QString kConsoleTranslator = QStringLiteral("vezaConsoleTranslator");
const QString kQtTranslator = QStringLiteral("vezaQtTranslator");

// Replaces the translator named `name` by one loaded for `locale`; false when there is none.
bool replaceTranslator(const QString &name, const QLocale &locale, const QString &file,
                       const QString &folder)
{
    QCoreApplication *app = QCoreApplication::instance();
    delete app->findChild<QTranslator *>(name, Qt::FindDirectChildrenOnly); // uninstalls it
    auto *translator = new QTranslator(app);
    translator->setObjectName(name);
    if (!translator->load(locale, file, QStringLiteral("_"), folder)) {
        delete translator;
        return false;
    }
    return QCoreApplication::installTranslator(translator);
}

} // namespace

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
    apply();
}

QLocale ConsoleLanguage::locale()
{
    const QString language = chosen();
    if (language.isEmpty())
        return QLocale::system();
    // The chosen language with the system's country when they match (fr_CA stays fr_CA).
    const QLocale system = QLocale::system();
    return system.name().startsWith(language) ? system : QLocale(language);
}

bool ConsoleLanguage::apply()
{
    const QLocale locale = ConsoleLanguage::locale();
    // The locale first: the widgets format their numbers with it when the translators'
    // LanguageChange reaches them.
    QLocale::setDefault(locale);
    replaceTranslator(kQtTranslator, locale, QStringLiteral("qtbase"),
                      QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return replaceTranslator(kConsoleTranslator, locale, QStringLiteral("veza-console"),
                             QStringLiteral(":/i18n"));
}

} // namespace veza::console
