// Runbook files: the shipped ones load and validate in English and French; a broken file is
// refused with its file and the line to fix while the others load; a team's folder overrides
// a shipped runbook and adds its own; texts fall back to English.
#include "RunbookLoader.h"
#include "RunbookParser.h"
#include "RunbookPlaceholders.h"
#include "RunbookVocabulary.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QStringList kShippedIds = {
    QStringLiteral("audio-latency"), QStringLiteral("high-latency"),
    QStringLiteral("memory-growth"), QStringLiteral("memory-leak"),
    QStringLiteral("service-down"),  QStringLiteral("websocket-drops"),
};

// A valid runbook with two steps; %1 is its id, %2 its title.
QByteArray minimalRunbook(const QString &id, const QString &title)
{
    return QStringLiteral(R"({
  "id": "%1",
  "title": "%2",
  "summary": "What this is for.",
  "severity": "warning",
  "alerts": ["HighCpu"],
  "steps": [
    {"id": "look", "title": "Look", "explanation": "Look at it."},
    {"id": "act", "title": "Act", "explanation": "Do something."}
  ]
}
)")
        .arg(id, title)
        .toUtf8();
}

void writeFile(const QString &path, const QByteArray &contents)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    file.write(contents);
}

QString describe(const QList<RunbookProblem> &problems)
{
    QStringList lines;
    for (const RunbookProblem &problem : problems)
        lines.append(problem.toString());
    return lines.join(u'\n');
}
} // namespace

class TestRunbookLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName(QStringLiteral("tst_runbook_loader"));
    }

    void init()
    {
        // Each test starts without a user folder.
        QDir(RunbookLoader::userFolder()).removeRecursively();
    }

    void cleanupTestCase() { QDir(RunbookLoader::userFolder()).removeRecursively(); }

    void shippedRunbooksLoad_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << "en";
        QTest::newRow("fr") << "fr";
    }

    void shippedRunbooksLoad()
    {
        QFETCH(QString, language);
        RunbookLoader loader(language);
        const RunbookLibrary library = loader.load();
        QVERIFY2(loader.problems().isEmpty(), qPrintable(describe(loader.problems())));
        QCOMPARE(library.ids(), kShippedIds);
        for (const Runbook &runbook : library.runbooks()) {
            const QByteArray id = runbook.id.toUtf8();
            QVERIFY2(runbook.isShipped(), id);
            QCOMPARE(runbook.language, language);
            QVERIFY2(runbook.untranslated.isEmpty(),
                     qPrintable(id + ": untranslated " + runbook.untranslated.join(u' ')));
            QVERIFY2(!runbook.title.isEmpty() && !runbook.summary.isEmpty(), id);
            QVERIFY2(!runbook.alerts.isEmpty(), id);
            QVERIFY2(runbook.steps.size() >= 4, id);
            for (const RunbookStep &step : runbook.steps) {
                QVERIFY2(!step.title.isEmpty() && !step.explanation.isEmpty(),
                         qPrintable(id + '/' + step.id));
                QVERIFY2(!step.commands.isEmpty(), qPrintable(id + '/' + step.id));
                for (const RunbookCommand &command : step.commands) {
                    QVERIFY2(!command.label.isEmpty() && !command.text.isEmpty(),
                             qPrintable(id + '/' + step.id));
                }
            }
        }
    }

    // The French runbooks are written in French, not English left in place.
    void shippedRunbooksAreTranslated()
    {
        RunbookLoader english(QStringLiteral("en"));
        RunbookLoader french(QStringLiteral("fr_FR"));
        const RunbookLibrary en = english.load();
        const RunbookLibrary fr = french.load();
        for (const QString &id : kShippedIds) {
            const Runbook a = *en.runbook(id);
            const Runbook b = *fr.runbook(id);
            QCOMPARE(b.language, QStringLiteral("fr"));
            QVERIFY2(a.title != b.title && a.summary != b.summary, qPrintable(id));
            QCOMPARE(a.steps.size(), b.steps.size());
            for (qsizetype i = 0; i < a.steps.size(); ++i) {
                const QByteArray where = (id + u'/' + a.steps.at(i).id).toUtf8();
                QCOMPARE(a.steps.at(i).id, b.steps.at(i).id);
                QCOMPARE(a.steps.at(i).figure, b.steps.at(i).figure);
                QVERIFY2(a.steps.at(i).title != b.steps.at(i).title, where);
                QVERIFY2(a.steps.at(i).explanation != b.steps.at(i).explanation, where);
                QCOMPARE(a.steps.at(i).commands.size(), b.steps.at(i).commands.size());
                for (qsizetype c = 0; c < a.steps.at(i).commands.size(); ++c) {
                    QVERIFY2(a.steps.at(i).commands.at(c).label !=
                                 b.steps.at(i).commands.at(c).label,
                             where);
                    QCOMPARE(a.steps.at(i).commands.at(c).text, b.steps.at(i).commands.at(c).text);
                }
            }
        }
    }

    void everyAlertHasARunbook()
    {
        RunbookLoader loader;
        const RunbookLibrary library = loader.load();
        for (const QString &alert : RunbookVocabulary::alertNames())
            QVERIFY2(library.forAlert(alert).has_value(), qPrintable(alert));
        QCOMPARE(library.forAlert(QStringLiteral("HighLatency"))->id,
                 QStringLiteral("high-latency"));
        QCOMPARE(library.forAlert(QStringLiteral("ServiceDown"))->id,
                 QStringLiteral("service-down"));
        // Both memory runbooks answer HighMemory; the critical one comes first.
        const QList<Runbook> memory = library.allForAlert(QStringLiteral("HighMemory"));
        QCOMPARE(memory.size(), 2);
        QCOMPARE(memory.at(0).id, QStringLiteral("memory-leak"));
        QCOMPARE(memory.at(1).id, QStringLiteral("memory-growth"));
        QVERIFY(!library.forAlert(QStringLiteral("NoSuchAlert")).has_value());
    }

    // Every file of resources/runbooks is in the console (the resource list is not stale).
    void resourceHoldsEverySourceFile()
    {
        const QDir source(qEnvironmentVariable("VEZA_SOURCE_DIR") +
                          QStringLiteral("/resources/runbooks"));
        QVERIFY(source.exists());
        const QStringList filter = {QStringLiteral("*.json")};
        QCOMPARE(QDir(RunbookLoader::shippedFolder()).entryList(filter, QDir::Files, QDir::Name),
                 source.entryList(filter, QDir::Files, QDir::Name));
    }

    void brokenFileIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");

        QTest::newRow("bad JSON: missing comma")
            << QByteArray(
                   "{\n  \"id\": \"broken\",\n  \"title\": \"Broken\"\n  \"summary\": \"x\"\n}\n")
            << 4 << "not valid JSON";
        QTest::newRow("bad JSON: trailing comma")
            << QByteArray(
                   "{\n  \"id\": \"broken\",\n  \"alerts\": [\"HighCpu\",\n  ],\n  \"x\": 1\n}\n")
            << 4 << "not valid JSON";
        QTest::newRow("bad JSON: unterminated string")
            << QByteArray("{\n  \"id\": \"broken\",\n\n  \"title\": \"Broken\n}\n") << 4
            << "not valid JSON";
        QTest::newRow("not an object") << QByteArray("[\n  1\n]\n") << 1 << "one JSON object";

        const QByteArray good = minimalRunbook(QStringLiteral("broken"), QStringLiteral("Broken"));
        QByteArray unknownFigure = good;
        unknownFigure.replace("\"id\": \"act\",",
                              "\"id\": \"act\",\n      \"figure\": \"cpu_load\",");
        QTest::newRow("unknown figure key")
            << unknownFigure << 10 << "steps[1].figure: unknown figure key \"cpu_load\"";

        QByteArray missingStepTitle = good;
        missingStepTitle.replace("\"title\": \"Act\", ", "");
        QTest::newRow("missing step title")
            << missingStepTitle << 9 << "steps[1]: missing field \"title\"";

        QByteArray missingTitle = good;
        missingTitle.replace("  \"title\": \"Broken\",\n", "");
        QTest::newRow("missing runbook title") << missingTitle << 1 << "missing field \"title\"";

        QByteArray unknownAlert = good;
        unknownAlert.replace("[\"HighCpu\"]", "[\n    \"HighCpu\",\n    \"DiskFull\"\n  ]");
        QTest::newRow("unknown alert name")
            << unknownAlert << 8 << "alerts[1]: unknown alert name \"DiskFull\"";

        QByteArray wrongType = good;
        wrongType.replace("\"severity\": \"warning\"", "\"severity\": 3");
        QTest::newRow("wrong type") << wrongType << 5 << "severity: must be a string";

        QByteArray stepsNotArray = good;
        stepsNotArray.replace("\"steps\": [", "\"steps\": {\"x\": [")
            .replace("\n  ]\n}", "\n  ]}\n}");
        QTest::newRow("steps not an array") << stepsNotArray << 7 << "steps: must be an array";

        QByteArray duplicateStep = good;
        duplicateStep.replace("\"id\": \"act\"", "\"id\": \"look\"");
        QTest::newRow("duplicate step id")
            << duplicateStep << 9 << "steps[1].id: duplicate step id \"look\" (first at line 8)";

        QByteArray badSeverity = good;
        badSeverity.replace("\"warning\"", "\"urgent\"");
        QTest::newRow("unknown severity") << badSeverity << 5 << "unknown severity \"urgent\"";

        QByteArray noEnglish = good;
        noEnglish.replace("\"summary\": \"What this is for.\"",
                          "\"summary\": {\n    \"fr\": \"À quoi il sert.\"\n  }");
        QTest::newRow("translations without English")
            << noEnglish << 4 << "summary: no English text (\"en\")";

        QByteArray badTranslation = good;
        badTranslation.replace("\"summary\": \"What this is for.\"",
                               "\"summary\": {\n    \"en\": \"What for.\",\n    \"fr\": 7\n  }");
        QTest::newRow("translation not a string")
            << badTranslation << 6 << "summary.fr: must be a string";

        QByteArray emptyText = good;
        emptyText.replace("\"explanation\": \"Do something.\"", "\"explanation\": \"  \"");
        QTest::newRow("empty text") << emptyText << 9 << "steps[1].explanation: must not be empty";

        QByteArray noSteps = good;
        noSteps.replace(QByteArray(good.mid(good.indexOf("\n    {"),
                                            good.indexOf("\n  ]") - good.indexOf("\n    {"))),
                        "");
        QTest::newRow("no steps") << noSteps << 7 << "steps: must hold at least one step";

        QByteArray undeclared = good;
        undeclared.replace("\"explanation\": \"Do something.\"",
                           "\"explanation\": \"Do something.\",\n      \"commands\": [\n"
                           "        {\"label\": \"Pods\",\n"
                           "         \"command\": \"kubectl -n {namespace} get pods\"}\n      ]");
        QTest::newRow("undeclared placeholder")
            << undeclared << 12 << "placeholder {namespace} is not declared";

        QByteArray badKind = undeclared;
        badKind.replace("\"label\": \"Pods\",", "\"label\": \"Pods\", \"kind\": \"sql\",")
            .replace("{namespace}", "veza");
        QTest::newRow("unknown command kind")
            << badKind << 11 << "commands[0].kind: unknown command kind \"sql\"";

        QByteArray badId = good;
        badId.replace("\"id\": \"broken\"", "\"id\": \"Broken Runbook\"");
        QTest::newRow("bad id") << badId << 2 << "id: \"Broken Runbook\" is not an id";

        QByteArray newerSchema = good;
        newerSchema.replace("{\n  \"id\"", "{\n  \"schema\": 2,\n  \"id\"");
        QTest::newRow("newer schema")
            << newerSchema << 2 << "schema: 2 is not a schema this console reads";
    }

    void brokenFileIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, line);
        QFETCH(QString, message);

        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        writeFile(broken, json);
        writeFile(dir.filePath(QStringLiteral("good.json")),
                  minimalRunbook(QStringLiteral("good"), QStringLiteral("Good")));

        RunbookLoader loader;
        loader.setExtraFolder(dir.path());
        const RunbookLibrary library = loader.load();

        QVERIFY(loader.hasErrors());
        const QString problems = describe(loader.problems());
        bool found = false;
        for (const RunbookProblem &problem : loader.problems()) {
            QCOMPARE(problem.file, broken); // only the broken file has problems
            if (problem.isError() && problem.line == line && problem.message.contains(message))
                found = true;
        }
        QVERIFY2(found, qPrintable(QStringLiteral("expected line %1 \"%2\"; got\n%3")
                                       .arg(line)
                                       .arg(message, problems)));
        QVERIFY(problems.startsWith(broken + u':' + QString::number(line) +
                                    QStringLiteral(": error: ")) ||
                problems.contains(u'\n' + broken + u':' + QString::number(line) + u':'));
        // Refused, and the others still load.
        QVERIFY(!library.contains(QStringLiteral("broken")));
        QVERIFY(library.contains(QStringLiteral("good")));
        for (const QString &id : kShippedIds)
            QVERIFY(library.contains(id));
    }

    // A placeholder missing from both languages of a command is one mistake, reported once.
    void undeclaredPlaceholderReportedOnce()
    {
        QByteArray json = minimalRunbook(QStringLiteral("once"), QStringLiteral("Once"));
        json.replace("\"explanation\": \"Do something.\"",
                     "\"explanation\": \"Do something.\", \"commands\": [{\"label\": \"Pods\", "
                     "\"command\": {\"en\": \"kubectl get pods -n {ns} # en\", "
                     "\"fr\": \"kubectl get pods -n {ns} # fr\"}}]");
        const RunbookParseResult parsed =
            RunbookParser(QStringLiteral("fr")).parse(json, QStringLiteral("once.json"));
        QVERIFY(!parsed.runbook);
        QCOMPARE(parsed.problems.size(), 1);
        QVERIFY2(parsed.problems.first().message.contains(QStringLiteral("{ns}")),
                 qPrintable(describe(parsed.problems)));
    }

    void sameIdTwiceInAFolder()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("a.json")),
                  minimalRunbook(QStringLiteral("twin"), QStringLiteral("First")));
        writeFile(dir.filePath(QStringLiteral("b.json")),
                  minimalRunbook(QStringLiteral("twin"), QStringLiteral("Second")));
        RunbookLoader loader;
        loader.setExtraFolder(dir.path());
        const RunbookLibrary library = loader.load();
        QCOMPARE(loader.problems().size(), 1);
        const RunbookProblem problem = loader.problems().first();
        QCOMPARE(problem.file, dir.filePath(QStringLiteral("b.json")));
        QCOMPARE(problem.line, 2);
        QVERIFY2(problem.message.contains(QStringLiteral("already the id of a.json")),
                 qPrintable(problem.message));
        QCOMPARE(library.runbook(QStringLiteral("twin"))->title, QStringLiteral("First"));
    }

    // Problems that do not make a file wrong are warnings: the file still loads.
    void warningsKeepTheFile()
    {
        QByteArray json = minimalRunbook(QStringLiteral("lenient"), QStringLiteral("Lenient"));
        json.replace("\"severity\"", "\"owner\": \"sre\",\n  \"severity\"");
        json.replace("\"alerts\"", "\"placeholders\": [\n    {\"name\": \"pod\", \"description\": "
                                   "\"A pod.\"}\n  ],\n  \"alerts\"");
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("lenient.json")), json);
        RunbookLoader loader;
        loader.setExtraFolder(dir.path());
        const RunbookLibrary library = loader.load();
        QVERIFY(library.contains(QStringLiteral("lenient")));
        QVERIFY(!loader.hasErrors());
        QCOMPARE(loader.problems().size(), 2);
        QCOMPARE(loader.problems().at(0).line, 5);
        QVERIFY(loader.problems().at(0).message.contains(
            QStringLiteral("owner: unknown field, ignored")));
        QVERIFY(loader.problems().at(0).toString().contains(QStringLiteral(":5: warning: ")));
        QCOMPARE(loader.problems().at(1).line, 8);
        QVERIFY(loader.problems().at(1).message.contains(
            QStringLiteral("placeholder \"pod\" is declared but no command uses it")));
    }

    void userFoldersOverrideAndAdd()
    {
        // The user's folder overrides a shipped runbook and adds one; the extra folder
        // overrides both.
        const QString user = RunbookLoader::userFolder();
        writeFile(user + QStringLiteral("/high-latency.json"),
                  minimalRunbook(QStringLiteral("high-latency"), QStringLiteral("Our latency")));
        writeFile(user + QStringLiteral("/disk-full.json"),
                  minimalRunbook(QStringLiteral("disk-full"), QStringLiteral("Disk full")));
        writeFile(user + QStringLiteral("/queue.json"),
                  minimalRunbook(QStringLiteral("queue"), QStringLiteral("Queue (user)")));
        QTemporaryDir extra;
        writeFile(extra.filePath(QStringLiteral("q.json")),
                  minimalRunbook(QStringLiteral("queue"), QStringLiteral("Queue (team)")));

        RunbookLoader loader;
        loader.setExtraFolder(extra.path());
        QCOMPARE(loader.folders(), QStringList({QStringLiteral(":/runbooks"), user, extra.path()}));
        const RunbookLibrary library = loader.load();
        QVERIFY2(loader.problems().isEmpty(), qPrintable(describe(loader.problems())));
        QCOMPARE(library.size(), kShippedIds.size() + 2);

        const Runbook latency = *library.runbook(QStringLiteral("high-latency"));
        QCOMPARE(latency.title, QStringLiteral("Our latency"));
        QCOMPARE(latency.sourcePath, user + QStringLiteral("/high-latency.json"));
        QVERIFY(!latency.isShipped());
        QCOMPARE(library.runbook(QStringLiteral("disk-full"))->title, QStringLiteral("Disk full"));
        QCOMPARE(library.runbook(QStringLiteral("queue"))->title, QStringLiteral("Queue (team)"));
        QVERIFY(library.runbook(QStringLiteral("service-down"))->isShipped());
        // The override answers the alerts it names, not those of the shipped one.
        QCOMPARE(library.forAlert(QStringLiteral("HighLatency")), std::nullopt);
    }

    void brokenOverrideKeepsTheShippedRunbook()
    {
        writeFile(RunbookLoader::userFolder() + QStringLiteral("/service-down.json"),
                  "{\"id\": \"service-down\", }");
        RunbookLoader loader;
        const RunbookLibrary library = loader.load();
        QVERIFY(loader.hasErrors());
        QVERIFY(library.runbook(QStringLiteral("service-down"))->isShipped());
    }

    void languageFallback_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("stepTitle");
        QTest::addColumn<QStringList>("untranslated");

        const QStringList summaryOnly = {QStringLiteral("/summary")};
        QTest::newRow("en") << "en"
                            << "Disk full"
                            << "Look" << QStringList();
        QTest::newRow("fr") << "fr"
                            << "Disque plein"
                            << "Regarder" << summaryOnly;
        QTest::newRow("fr_FR") << "fr_FR"
                               << "Disque plein"
                               << "Regarder" << summaryOnly;
        QTest::newRow("de falls back to English")
            << "de"
            << "Disk full"
            << "Look"
            << QStringList({QStringLiteral("/title"), QStringLiteral("/summary"),
                            QStringLiteral("/steps/0/title")});
        QTest::newRow("empty is English") << ""
                                          << "Disk full"
                                          << "Look" << QStringList();
    }

    void languageFallback()
    {
        QFETCH(QString, language);
        QFETCH(QString, title);
        QFETCH(QString, stepTitle);
        QFETCH(QStringList, untranslated);

        QByteArray json = minimalRunbook(QStringLiteral("disk-full"), QStringLiteral("Disk full"));
        json.replace("\"title\": \"Disk full\"",
                     "\"title\": {\"en\": \"Disk full\", \"fr\": \"Disque plein\"}");
        json.replace("\"summary\": \"What this is for.\"",
                     "\"summary\": {\"en\": \"What this is for.\"}");
        json.replace("\"title\": \"Look\"", "\"title\": {\"fr\": \"Regarder\", \"en\": \"Look\"}");

        const RunbookParseResult parsed =
            RunbookParser(language).parse(json, QStringLiteral("disk-full.json"));
        QVERIFY2(parsed.runbook, qPrintable(describe(parsed.problems)));
        QCOMPARE(parsed.runbook->title, title);
        QCOMPARE(parsed.runbook->summary, QStringLiteral("What this is for."));
        QCOMPARE(parsed.runbook->steps.at(0).title, stepTitle);
        // A plain string is the same in every language.
        QCOMPARE(parsed.runbook->steps.at(1).title, QStringLiteral("Act"));
        QCOMPARE(parsed.runbook->untranslated, untranslated);
    }

    void placeholders()
    {
        const QString command = QStringLiteral(
            "kubectl -n {namespace} exec {pod} -- sh -c 'echo ${HOME}' && curl -w '%{http_code}' "
            "http://{host}:{port}/ && kubectl get deploy -o jsonpath='{.spec.replicas}' | awk "
            "'{print $1}' {pod} {print}");
        QCOMPARE(
            RunbookPlaceholders::namesIn(command),
            QStringList({QStringLiteral("namespace"), QStringLiteral("pod"), QStringLiteral("host"),
                         QStringLiteral("port"), QStringLiteral("print")}));
        QCOMPARE(RunbookPlaceholders::fill(QStringLiteral("kubectl -n {namespace} logs {pod} "
                                                          "-w '%{http_code}' {pod} {unknown}"),
                                           {{QStringLiteral("namespace"), QStringLiteral("veza")},
                                            {QStringLiteral("pod"), QStringLiteral("veza-1")}}),
                 QStringLiteral("kubectl -n veza logs veza-1 -w '%{http_code}' veza-1 {unknown}"));
    }
};

QTEST_GUILESS_MAIN(TestRunbookLoader)
#include "tst_runbook_loader.moc"
