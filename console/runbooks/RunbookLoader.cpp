#include "RunbookLoader.h"

#include "JsonLineIndex.h"
#include "RunbookParser.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <algorithm>

Q_LOGGING_CATEGORY(lcRunbooks, "veza.console.runbooks")

RunbookLoader::RunbookLoader(const QString &language)
    : m_language(RunbookParser::normalizedLanguage(language))
{
}

QString RunbookLoader::shippedFolder()
{
    return QStringLiteral(":/runbooks");
}

QString RunbookLoader::userFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/runbooks");
}

QStringList RunbookLoader::folders() const
{
    QStringList result = {shippedFolder(), userFolder()};
    if (!m_extraFolder.isEmpty())
        result.append(m_extraFolder);
    return result;
}

bool RunbookLoader::hasErrors() const
{
    return std::any_of(m_problems.begin(), m_problems.end(),
                       [](const RunbookProblem &problem) { return problem.isError(); });
}

RunbookLibrary RunbookLoader::load()
{
    m_problems.clear();
    RunbookLibrary library;
    for (const QString &folder : folders())
        loadFolder(folder, library);
    return library;
}

void RunbookLoader::loadFolder(const QString &folder, RunbookLibrary &library)
{
    const QDir dir(folder);
    if (!dir.exists())
        return;
    const RunbookParser parser(m_language);
    QHash<QString, QString> idsHere; // id -> file, within this folder
    const QStringList names =
        dir.entryList({QStringLiteral("*.json")}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QString &name : names) {
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            m_problems.append({RunbookProblem::Level::Error, path, 0,
                               tr("cannot read the file: %1").arg(file.errorString())});
            qCWarning(lcRunbooks).noquote() << m_problems.last().toString();
            continue;
        }
        QByteArray json = file.readAll();
        if (json.startsWith("\xEF\xBB\xBF")) // a byte order mark, as some editors write
            json.remove(0, 3);

        RunbookParseResult parsed = parser.parse(json, path);
        if (parsed.runbook && idsHere.contains(parsed.runbook->id)) {
            parsed.problems.append(
                {RunbookProblem::Level::Error, path,
                 JsonLineIndex(json).lineOf(QStringLiteral("/id")),
                 tr("id: \"%1\" is already the id of %2 in the same folder")
                     .arg(parsed.runbook->id, idsHere.value(parsed.runbook->id))});
            parsed.runbook.reset();
        }
        for (const RunbookProblem &problem : std::as_const(parsed.problems))
            qCWarning(lcRunbooks).noquote() << problem.toString();
        m_problems.append(parsed.problems);
        if (!parsed.runbook)
            continue;

        idsHere.insert(parsed.runbook->id, name);
        if (const auto replaced = library.runbook(parsed.runbook->id)) {
            qCInfo(lcRunbooks).noquote() << "runbook" << parsed.runbook->id << "from" << path
                                         << "replaces the one from" << replaced->sourcePath;
        }
        library.insert(*parsed.runbook);
    }
}
