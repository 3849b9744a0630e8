#include "RunbookParser.h"

#include "JsonLineIndex.h"
#include "RunbookFieldReader.h"
#include "RunbookPlaceholders.h"
#include "RunbookVocabulary.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace {
const QString kEnglish = QStringLiteral("en");

bool isPlaceholderName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z][a-z0-9_]*$"));
    return pattern.match(name).hasMatch();
}

QList<RunbookPlaceholder> readPlaceholders(RunbookFieldReader &reader, const QJsonObject &root)
{
    QList<RunbookPlaceholder> placeholders;
    const auto array =
        reader.member(root, QString(), QStringLiteral("placeholders"), QJsonValue::Array, false);
    if (!array)
        return placeholders;
    const QString arrayPointer = QStringLiteral("/placeholders");
    const QJsonArray items = array->toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString pointer = JsonLineIndex::childPointer(arrayPointer, i);
        if (!items.at(i).isObject()) {
            reader.error(pointer, RunbookParser::tr("a placeholder must be an object"));
            continue;
        }
        const QJsonObject item = items.at(i).toObject();
        reader.checkFields(
            item, pointer,
            {QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("example")});
        RunbookPlaceholder placeholder;
        if (const auto name =
                reader.member(item, pointer, QStringLiteral("name"), QJsonValue::String, true)) {
            placeholder.name = name->toString();
            const QString namePointer =
                JsonLineIndex::childPointer(pointer, QStringLiteral("name"));
            if (!isPlaceholderName(placeholder.name)) {
                reader.error(namePointer,
                             RunbookParser::tr("placeholder name \"%1\" must be a lower-case "
                                               "letter then letters, digits or '_'")
                                 .arg(placeholder.name));
            }
            for (const RunbookPlaceholder &other : std::as_const(placeholders)) {
                if (other.name == placeholder.name) {
                    reader.error(namePointer, RunbookParser::tr("placeholder \"%1\" is declared "
                                                                "twice")
                                                  .arg(placeholder.name));
                }
            }
        }
        placeholder.description =
            reader.text(item, pointer, QStringLiteral("description"), true).picked;
        placeholder.example = reader.text(item, pointer, QStringLiteral("example"), false).picked;
        placeholders.append(placeholder);
    }
    return placeholders;
}

QList<RunbookCommand> readCommands(RunbookFieldReader &reader, const QJsonObject &step,
                                   const QString &stepPointer,
                                   const QList<RunbookPlaceholder> &placeholders,
                                   QSet<QString> &used)
{
    QList<RunbookCommand> commands;
    const auto array =
        reader.member(step, stepPointer, QStringLiteral("commands"), QJsonValue::Array, false);
    if (!array)
        return commands;
    const QString arrayPointer =
        JsonLineIndex::childPointer(stepPointer, QStringLiteral("commands"));
    const QJsonArray items = array->toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString pointer = JsonLineIndex::childPointer(arrayPointer, i);
        if (!items.at(i).isObject()) {
            reader.error(pointer, RunbookParser::tr("a command must be an object with \"label\" "
                                                    "and \"command\""));
            continue;
        }
        const QJsonObject item = items.at(i).toObject();
        reader.checkFields(
            item, pointer,
            {QStringLiteral("label"), QStringLiteral("kind"), QStringLiteral("command")});
        const RunbookFieldReader::Text label =
            reader.text(item, pointer, QStringLiteral("label"), true);
        RunbookCommand::Kind kind = RunbookCommand::Kind::Shell;
        if (const auto kindName =
                reader.member(item, pointer, QStringLiteral("kind"), QJsonValue::String, false)) {
            if (kindName->toString() == QLatin1String("promql")) {
                kind = RunbookCommand::Kind::PromQL;
            } else if (kindName->toString() != QLatin1String("shell")) {
                reader.error(JsonLineIndex::childPointer(pointer, QStringLiteral("kind")),
                             RunbookParser::tr("unknown command kind \"%1\" (known: shell, "
                                               "promql)")
                                 .arg(kindName->toString()));
            }
        }
        const RunbookFieldReader::Text text =
            reader.text(item, pointer, QStringLiteral("command"), true);
        QStringList names; // of every language's variant, each once
        for (const QString &variant : text.variants)
            names += RunbookPlaceholders::namesIn(variant);
        names.removeDuplicates();
        for (const QString &name : std::as_const(names)) {
            used.insert(name);
            const bool declared =
                std::any_of(placeholders.begin(), placeholders.end(),
                            [&](const RunbookPlaceholder &p) { return p.name == name; });
            if (!declared) {
                reader.error(JsonLineIndex::childPointer(pointer, QStringLiteral("command")),
                             RunbookParser::tr("placeholder {%1} is not declared in "
                                               "\"placeholders\"")
                                 .arg(name));
            }
        }
        commands.append({label.picked, text.picked, kind});
    }
    return commands;
}

QList<RunbookStep> readSteps(RunbookFieldReader &reader, const QJsonObject &root,
                             const QList<RunbookPlaceholder> &placeholders)
{
    QList<RunbookStep> steps;
    const auto array =
        reader.member(root, QString(), QStringLiteral("steps"), QJsonValue::Array, true);
    if (!array)
        return steps;
    const QString arrayPointer = QStringLiteral("/steps");
    const QJsonArray items = array->toArray();
    if (items.isEmpty())
        reader.error(arrayPointer, RunbookParser::tr("must hold at least one step"));

    QHash<QString, int> idLines;
    QSet<QString> used;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString pointer = JsonLineIndex::childPointer(arrayPointer, i);
        if (!items.at(i).isObject()) {
            reader.error(pointer, RunbookParser::tr("a step must be an object"));
            continue;
        }
        const QJsonObject item = items.at(i).toObject();
        reader.checkFields(item, pointer,
                           {QStringLiteral("id"), QStringLiteral("title"),
                            QStringLiteral("explanation"), QStringLiteral("figure"),
                            QStringLiteral("commands")});
        RunbookStep step;
        step.id = reader.identifier(item, pointer, QStringLiteral("id"));
        if (!step.id.isEmpty()) {
            const QString idPointer = JsonLineIndex::childPointer(pointer, QStringLiteral("id"));
            if (idLines.contains(step.id)) {
                reader.error(idPointer, RunbookParser::tr("duplicate step id \"%1\" (first at "
                                                          "line %2)")
                                            .arg(step.id)
                                            .arg(idLines.value(step.id)));
            } else {
                idLines.insert(step.id, reader.lineOf(idPointer));
            }
        }
        step.title = reader.text(item, pointer, QStringLiteral("title"), true).picked;
        step.explanation = reader.text(item, pointer, QStringLiteral("explanation"), true).picked;
        if (const auto figure =
                reader.member(item, pointer, QStringLiteral("figure"), QJsonValue::String, false)) {
            step.figure = figure->toString();
            if (!RunbookVocabulary::isFigureKey(step.figure)) {
                reader.error(JsonLineIndex::childPointer(pointer, QStringLiteral("figure")),
                             RunbookParser::tr("unknown figure key \"%1\" (known: %2)")
                                 .arg(step.figure,
                                      RunbookVocabulary::figureKeys().join(QStringLiteral(", "))));
            }
        }
        step.commands = readCommands(reader, item, pointer, placeholders, used);
        steps.append(step);
    }
    for (qsizetype i = 0; i < placeholders.size(); ++i) {
        if (!used.contains(placeholders.at(i).name)) {
            reader.warning(JsonLineIndex::childPointer(QStringLiteral("/placeholders"), i),
                           RunbookParser::tr("placeholder \"%1\" is declared but no command uses "
                                             "it")
                               .arg(placeholders.at(i).name));
        }
    }
    return steps;
}

QStringList readAlerts(RunbookFieldReader &reader, const QJsonObject &root)
{
    QStringList alerts;
    const auto array =
        reader.member(root, QString(), QStringLiteral("alerts"), QJsonValue::Array, true);
    if (!array)
        return alerts;
    const QJsonArray items = array->toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString pointer = JsonLineIndex::childPointer(QStringLiteral("/alerts"), i);
        const QString name = items.at(i).toString();
        if (!items.at(i).isString()) {
            reader.error(pointer, RunbookParser::tr("an alert name must be a string"));
        } else if (!RunbookVocabulary::isAlertName(name)) {
            reader.error(pointer, RunbookParser::tr("unknown alert name \"%1\" (known: %2)")
                                      .arg(name, RunbookVocabulary::alertNames().join(
                                                     QStringLiteral(", "))));
        } else if (!alerts.contains(name)) {
            alerts.append(name);
        }
    }
    return alerts;
}
} // namespace

RunbookParser::RunbookParser(const QString &language)
    : m_language(normalizedLanguage(language))
{
}

QString RunbookParser::normalizedLanguage(const QString &language)
{
    const QString code = language.section(u'_', 0, 0).section(u'-', 0, 0).toLower();
    return code.isEmpty() ? kEnglish : code;
}

RunbookParseResult RunbookParser::parse(const QByteArray &json, const QString &file) const
{
    RunbookParseResult result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.problems.append({RunbookProblem::Level::Error, file,
                                JsonLineIndex::syntaxErrorLine(json, parseError.offset),
                                tr("not valid JSON: %1").arg(parseError.errorString())});
        return result;
    }
    RunbookFieldReader reader(json, file, m_language);
    if (!document.isObject()) {
        reader.error(QString(), tr("a runbook file must hold one JSON object"));
        result.problems = reader.problems();
        return result;
    }
    const QJsonObject root = document.object();
    reader.checkFields(root, QString(),
                       {QStringLiteral("schema"), QStringLiteral("id"), QStringLiteral("title"),
                        QStringLiteral("summary"), QStringLiteral("severity"),
                        QStringLiteral("alerts"), QStringLiteral("placeholders"),
                        QStringLiteral("steps")});

    if (const auto schema =
            reader.member(root, QString(), QStringLiteral("schema"), QJsonValue::Double, false)) {
        if (schema->toInt(-1) != kSchemaVersion) {
            reader.error(QStringLiteral("/schema"),
                         tr("%1 is not a schema this console reads (it reads %2)")
                             .arg(schema->toDouble())
                             .arg(kSchemaVersion));
        }
    }
    Runbook runbook;
    runbook.id = reader.identifier(root, QString(), QStringLiteral("id"));
    runbook.title = reader.text(root, QString(), QStringLiteral("title"), true).picked;
    runbook.summary = reader.text(root, QString(), QStringLiteral("summary"), true).picked;
    if (const auto severity =
            reader.member(root, QString(), QStringLiteral("severity"), QJsonValue::String, true)) {
        if (const auto parsed = RunbookVocabulary::severityFromName(severity->toString())) {
            runbook.severity = *parsed;
        } else {
            reader.error(QStringLiteral("/severity"),
                         tr("unknown severity \"%1\" (known: %2)")
                             .arg(severity->toString(),
                                  RunbookVocabulary::severityNames().join(QStringLiteral(", "))));
        }
    }
    runbook.alerts = readAlerts(reader, root);
    runbook.placeholders = readPlaceholders(reader, root);
    runbook.steps = readSteps(reader, root, runbook.placeholders);

    result.problems = reader.problems();
    std::stable_sort(
        result.problems.begin(), result.problems.end(),
        [](const RunbookProblem &a, const RunbookProblem &b) { return a.line < b.line; });
    if (reader.failed())
        return result;
    runbook.language = m_language;
    runbook.sourcePath = file;
    runbook.untranslated = reader.untranslated();
    result.runbook = runbook;
    return result;
}
