// The shipped .ts files list exactly the console's current strings, each one translated:
// a string added to the code without a translation fails here, not in front of a user.
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {
QString sourceDir()
{
    return qEnvironmentVariable("VEZA_SOURCE_DIR");
}

QString read(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QSet<QString> sources(const QString &ts)
{
    QSet<QString> result;
    static const QRegularExpression source(QStringLiteral("<source>(.*?)</source>"),
                                           QRegularExpression::DotMatchesEverythingOption);
    for (auto it = source.globalMatch(ts); it.hasNext();)
        result.insert(it.next().captured(1));
    return result;
}
} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedFilesAreComplete_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << "en";
        QTest::newRow("fr") << "fr";
    }

    void shippedFilesAreComplete()
    {
        QFETCH(QString, language);
        const QString shipped =
            read(sourceDir() + QStringLiteral("/translations/veza-console_%1.ts").arg(language));
        QVERIFY(!shipped.isEmpty());
        QVERIFY2(!shipped.contains(QStringLiteral("type=\"unfinished\"")),
                 "unfinished translations");
        QVERIFY2(!shipped.contains(QStringLiteral("type=\"vanished\"")), "stale translations");
        QVERIFY2(!shipped.contains(QStringLiteral("<translation></translation>")),
                 "empty translations");

        QTemporaryDir dir;
        const QString fresh = dir.filePath(QStringLiteral("fresh.ts"));
        QProcess lupdate;
        lupdate.start(QStringLiteral(VEZA_LUPDATE),
                      {QStringLiteral("-silent"), QStringLiteral("-locations"),
                       QStringLiteral("none"), sourceDir() + QStringLiteral("/console"),
                       QStringLiteral("-ts"), fresh});
        QVERIFY(lupdate.waitForFinished(60000));
        QCOMPARE(lupdate.exitCode(), 0);
        const QSet<QString> expected = sources(read(fresh));
        QVERIFY(!expected.isEmpty());
        const QSet<QString> actual = sources(shipped);
        QVERIFY2(
            expected == actual,
            qPrintable(QStringLiteral(
                           "out of date, run `cmake --build build --target update_translations`: "
                           "missing %1, extra %2")
                           .arg(QStringList((expected - actual).values()).join(u'|'),
                                QStringList((actual - expected).values()).join(u'|'))));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
