// `veza-server --version`'s line names the project version and the commit the build came from,
// so an operator (or a package check) sees which build a host runs.
#include "VezaCommit.h"
#include "VezaVersion.h"
#include "cli/VersionLine.h"

#include <QRegularExpression>
#include <QTest>

class TestVersionLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesTheVersionAndTheCommit()
    {
        QCOMPARE(veza::cli::versionLine(QStringLiteral("veza-server")),
                 QStringLiteral("veza-server %1 (commit %2)")
                     .arg(QLatin1StringView(veza::kVersion), QLatin1StringView(veza::kCommit)));
    }

    void theCommitIsAGitHashOrUnknown()
    {
        static const QRegularExpression form(
            QStringLiteral(R"(^veza-server \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}|unknown)\)$)"));
        const QString line = veza::cli::versionLine(QStringLiteral("veza-server"));
        QVERIFY2(form.match(line).hasMatch(), qPrintable(line));
    }
};

QTEST_GUILESS_MAIN(TestVersionLine)
#include "tst_version_line.moc"
