// The shipped runbooks' commands work against the product they are for: each PromQL expression
// parses (promtool) and names only metrics of docs/metrics.md; each shell command that needs no
// cluster (curl against the health, metrics, API and WebSocket ports with a live stream, ss,
// lsof, top, psql on the PostgreSQL run) runs against a real veza-server and succeeds; each
// kubectl command is accepted by kubectl (subcommand and flags; no cluster is reached); the log
// lines the runbooks grep for look as they expect.
#include "IngestTools.h"
#include "RunbookLoader.h"
#include "RunbookPlaceholders.h"
#include "ServerProcess.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using veza::testing::ServerProcess;

constexpr auto kStream = "night-shift";

namespace {
struct ShippedCommand
{
    QString where; // runbook/step: label
    RunbookCommand command;
};

QList<ShippedCommand> shippedCommands(RunbookCommand::Kind kind)
{
    RunbookLoader loader(QStringLiteral("en"));
    QList<ShippedCommand> result;
    for (const Runbook &runbook : loader.load().runbooks()) {
        for (const RunbookStep &step : runbook.steps) {
            for (const RunbookCommand &command : step.commands) {
                if (command.kind == kind) {
                    result.append(
                        {runbook.id + u'/' + step.id + QStringLiteral(": ") + command.label,
                         command});
                }
            }
        }
    }
    return result;
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runShell(const QString &command, const QString &workingDirectory,
             const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess shell;
    shell.setWorkingDirectory(workingDirectory);
    shell.setProcessEnvironment(environment);
    shell.start(QStringLiteral("bash"), {QStringLiteral("-c"), command});
    shell.closeWriteChannel();
    if (!shell.waitForFinished(30000)) {
        shell.kill();
        shell.waitForFinished();
        return {-1, shell.readAllStandardOutput(), "timed out"};
    }
    return {shell.exitStatus() == QProcess::NormalExit ? shell.exitCode() : -1,
            shell.readAllStandardOutput(), shell.readAllStandardError()};
}

// The series of docs/metrics.md, the contract the runbooks are written against; a histogram
// with its _bucket, _sum and _count.
QSet<QString> documentedSeries()
{
    QFile file(qEnvironmentVariable("VEZA_SOURCE_DIR") + QStringLiteral("/docs/metrics.md"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QSet<QString> names;
    static const QRegularExpression row(QStringLiteral("^\\| `([a-z_]+)` \\| (\\w+) \\|"),
                                        QRegularExpression::MultilineOption);
    for (auto it = row.globalMatch(QString::fromUtf8(file.readAll())); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        names.insert(match.captured(1));
        if (match.captured(2) == QLatin1String("histogram")) {
            for (const char *suffix : {"_bucket", "_sum", "_count"})
                names.insert(match.captured(1) + QLatin1String(suffix));
        }
    }
    return names;
}

// PromQL words that are not metric names: functions, keywords, the labels the runbooks use.
const QSet<QString> &promqlWords()
{
    static const QSet<QString> words = {
        // functions and keywords
        QStringLiteral("sum"), QStringLiteral("by"), QStringLiteral("without"),
        QStringLiteral("rate"), QStringLiteral("histogram_quantile"), QStringLiteral("delta"),
        QStringLiteral("deriv"), QStringLiteral("predict_linear"), QStringLiteral("clamp_min"),
        QStringLiteral("topk"),
        // labels: le, Prometheus' instance, and those of docs/metrics.md
        QStringLiteral("le"), QStringLiteral("instance"), QStringLiteral("route"),
        QStringLiteral("status"), QStringLiteral("reason"), QStringLiteral("result"),
        QStringLiteral("direction"), QStringLiteral("stream"), QStringLiteral("rendition"),
        QStringLiteral("state")};
    return words;
}

// The example value of each placeholder, for commands that only need to parse.
QHash<QString, QString> exampleValues()
{
    QHash<QString, QString> values;
    RunbookLoader loader(QStringLiteral("en"));
    for (const Runbook &runbook : loader.load().runbooks()) {
        for (const RunbookPlaceholder &placeholder : runbook.placeholders)
            values.insert(placeholder.name, placeholder.example);
    }
    return values;
}
} // namespace

class TestRunbookCommands : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    QTemporaryDir m_workDir;
    std::unique_ptr<QProcess> m_source; // ffmpeg keeping kStream live
    QByteArray m_token;                 // a moderator's, as the runbooks mint one

private Q_SLOTS:
    void initTestCase()
    {
        // Only the shipped runbooks: no user folder of the machine's.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName(QStringLiteral("tst_runbook_commands"));
        QDir(RunbookLoader::userFolder()).removeRecursively();
        QVERIFY2(m_server.start(), qPrintable(m_server.diagnostics()));
        m_token = m_server.token(QStringLiteral("oncall"), QStringLiteral("moderator"));

        // A live stream for the audio runbook's commands.
        if (!veza::testing::haveFfmpeg())
            QSKIP("ffmpeg and ffprobe are needed (Debian package ffmpeg)");
        const QByteArray key = veza::testing::createStream(
            m_server, m_server.token(QStringLiteral("dj"), QStringLiteral("broadcaster")),
            QLatin1String(kStream));
        QVERIFY(!key.isEmpty());
        m_source = veza::testing::startTool(
            QStringLiteral("ffmpeg"),
            veza::testing::ffmpegToneSource(m_server.httpPort(), key, QLatin1String(kStream), 120,
                                            {QStringLiteral("-c:a"), QStringLiteral("libopus"),
                                             QStringLiteral("-b:a"), QStringLiteral("128k")},
                                            QStringLiteral("audio/ogg"), QStringLiteral("ogg")));
        QVERIFY(veza::testing::waitForStreamState(m_server, m_token, QLatin1String(kStream),
                                                  QStringLiteral("live"), 15000));
    }

    void cleanupTestCase()
    {
        if (m_source) {
            m_source->kill();
            m_source->waitForFinished(5000);
        }
    }

    void promqlParsesAndNamesExportedMetrics()
    {
        const QList<ShippedCommand> queries = shippedCommands(RunbookCommand::Kind::PromQL);
        QVERIFY(queries.size() >= 20);

        // promtool parses each expression as a recording rule.
        QString rules = QStringLiteral("groups:\n  - name: runbooks\n    rules:\n");
        for (qsizetype i = 0; i < queries.size(); ++i) {
            rules += QStringLiteral("      - record: runbook:expression_%1\n        expr: |\n"
                                    "          %2\n")
                         .arg(i)
                         .arg(queries.at(i).command.text);
        }
        QFile file(m_workDir.filePath(QStringLiteral("runbooks.rules.yml")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(rules.toUtf8());
        file.close();
        const Run promtool =
            runShell(QStringLiteral("promtool check rules runbooks.rules.yml"), m_workDir.path());
        QVERIFY2(promtool.exitCode == 0, QByteArray(promtool.out + promtool.err).constData());

        // Every other word is a documented series.
        const QSet<QString> series = documentedSeries();
        QVERIFY(series.contains(QStringLiteral("http_request_duration_seconds_bucket")));
        static const QRegularExpression quoted(QStringLiteral("\"[^\"]*\""));
        static const QRegularExpression word(QStringLiteral("\\b[a-zA-Z_][a-zA-Z0-9_]*\\b"));
        for (const ShippedCommand &query : queries) {
            const QString expression = QString(query.command.text).remove(quoted);
            for (auto it = word.globalMatch(expression); it.hasNext();) {
                const QString name = it.next().captured();
                QVERIFY2(promqlWords().contains(name) || series.contains(name),
                         qPrintable(query.where + QStringLiteral(": \"") + name +
                                    QStringLiteral("\" is not a metric of docs/metrics.md")));
            }
        }
    }

    void shellCommandsRunAgainstTheServer()
    {
        const bool postgres = m_server.environment()
                                  .value(QStringLiteral("DATABASE_URL"))
                                  .startsWith(QLatin1String("postgresql:"));
        const QHash<QString, QString> live = {
            {QStringLiteral("host"), QStringLiteral("127.0.0.1")},
            {QStringLiteral("port"), QString::number(m_server.httpPort())},
            {QStringLiteral("ws_port"), QString::number(m_server.webSocketPort())},
            {QStringLiteral("metrics_port"), QString::number(m_server.metricsPort())},
            {QStringLiteral("database_url"),
             postgres ? m_server.environment().value(QStringLiteral("DATABASE_URL")) : QString()},
            {QStringLiteral("stream"), QLatin1String(kStream)},
        };
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("TOKEN"), QString::fromLatin1(m_token));
        int ran = 0;
        QStringList notRun;
        for (const ShippedCommand &shipped : shippedCommands(RunbookCommand::Kind::Shell)) {
            const QString text = shipped.command.text;
            if (text.contains(QLatin1String("kubectl"))) // kubectlCommandsParse
                continue;
            const QStringList needed = RunbookPlaceholders::namesIn(text);
            const bool runnable =
                std::all_of(needed.begin(), needed.end(),
                            [&](const QString &name) { return !live.value(name).isEmpty(); });
            if (!runnable) {
                notRun.append(shipped.where);
                continue;
            }
            // On a shared machine several veza-servers may run: aim at this one.
            const QString command = RunbookPlaceholders::fill(text, live)
                                        .replace(QStringLiteral("$(pidof veza-server)"),
                                                 QString::number(m_server.processId()));
            QTemporaryDir dir;
            const Run run = runShell(command, dir.path(), environment);
            const QString context = shipped.where + QStringLiteral("\n$ ") + command +
                                    QStringLiteral("\n") + QString::fromUtf8(run.out + run.err);
            // A live stream's body never ends: curl stops at --max-time (exit 28) by design.
            const bool endless = command.contains(QLatin1String("--max-time")) &&
                                 command.contains(QLatin1String("/live/"));
            QVERIFY2(run.exitCode == 0 || (endless && run.exitCode == 28), qPrintable(context));
            static const QRegularExpression redirected(QStringLiteral(" > [^'\"|]+$"));
            if (redirected.match(command).hasMatch()) {
                const QFileInfoList files = QDir(dir.path()).entryInfoList(QDir::Files);
                QVERIFY2(files.size() == 1 && files.first().size() > 0, qPrintable(context));
            } else {
                QVERIFY2(!run.out.trimmed().isEmpty(), qPrintable(context));
            }
            if (command.contains(QLatin1String("Upgrade: websocket")))
                QVERIFY2(run.out.startsWith("HTTP/1.1 101"), qPrintable(context));
            ++ran;
        }
        qInfo("%d shell commands ran; not run here: %s", ran,
              qPrintable(notRun.join(QStringLiteral("; "))));
        QVERIFY(ran >= 20);
    }

    void kubectlCommandsParse()
    {
        // Nothing listens on port 9: kubectl gets as far as connecting only when it accepted
        // the subcommand and its flags.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("KUBECONFIG"), QStringLiteral("/dev/null"));
        const QHash<QString, QString> examples = exampleValues();
        int checked = 0;
        for (const ShippedCommand &shipped : shippedCommands(RunbookCommand::Kind::Shell)) {
            if (!shipped.command.text.contains(QLatin1String("kubectl ")))
                continue;
            const QString command =
                RunbookPlaceholders::fill(shipped.command.text, examples)
                    .replace(QStringLiteral("kubectl "),
                             QStringLiteral("kubectl --server=http://127.0.0.1:9 "
                                            "--request-timeout=2s "));
            const Run run = runShell(command, m_workDir.path(), environment);
            const QString err = QString::fromUtf8(run.err);
            QVERIFY2(err.contains(QLatin1String("127.0.0.1:9")) &&
                         !err.contains(QLatin1String("unknown")),
                     qPrintable(shipped.where + QStringLiteral("\n$ ") + command +
                                QStringLiteral("\n") + err));
            ++checked;
        }
        QVERIFY(checked >= 30);
    }

    // The runbooks grep the JSON log for these; the server's own log has them.
    void logLinesLookAsTheRunbooksExpect()
    {
        // The output is read as the event loop runs.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_server.diagnostics().contains(QLatin1String("source connected: night-shift ")),
            10000);
        const QString log = m_server.diagnostics();
        for (const char *fragment : {"\"level\":\"info\"", "\"module\":\"veza.server\"",
                                     "\"message\":\"starting\"", "open_files_limit"}) {
            QVERIFY2(log.contains(QLatin1String(fragment)), fragment);
        }
        // Each `kubectl logs ... | filter` pipeline, fed this log instead, runs (no match is
        // fine: a quiet log has no warnings).
        QFile file(m_workDir.filePath(QStringLiteral("server.log")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(log.toUtf8());
        file.close();
        static const QRegularExpression logsPipeline(
            QStringLiteral("^kubectl [^|]* logs [^|]*\\|(.*)$"));
        const QHash<QString, QString> examples = exampleValues();
        int pipelines = 0;
        for (const ShippedCommand &shipped : shippedCommands(RunbookCommand::Kind::Shell)) {
            const QRegularExpressionMatch match = logsPipeline.match(shipped.command.text);
            if (!match.hasMatch())
                continue;
            const QString filter = RunbookPlaceholders::fill(match.captured(1), examples);
            const Run run = runShell(QStringLiteral("cat server.log |") + filter, m_workDir.path());
            QVERIFY2(run.exitCode == 0 || run.exitCode == 1,
                     qPrintable(shipped.where + QStringLiteral(": ") + filter +
                                QString::fromUtf8(run.err)));
            ++pipelines;
        }
        QVERIFY2(pipelines >= 7, qPrintable(QString::number(pipelines)));
        const Run starting =
            runShell(QStringLiteral("cat server.log | grep -m1 '\"message\":\"starting\"'"),
                     m_workDir.path());
        QVERIFY(starting.out.contains("open_files_limit"));
    }
};

QTEST_GUILESS_MAIN(TestRunbookCommands)
#include "tst_runbook_commands.moc"
