// JSON log lines and LOG_LEVEL rules: what an operator's log pipeline and `LOG_LEVEL=...`
// rely on.
#include "logging/JsonLog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace veza::logging;

Q_LOGGING_CATEGORY(lcTestStorage, "veza.storage")
Q_LOGGING_CATEGORY(lcTestStorageSub, "veza.storage.migrations")
Q_LOGGING_CATEGORY(lcTestNet, "veza.net")

class TestJsonLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lineIsOneJsonObjectWithTheContractFields()
    {
        const QByteArray line = formatLine(
            {QStringLiteral("veza-server"), QStringLiteral("1.2.3"), QStringLiteral("production")},
            QtWarningMsg, "veza.net", QStringLiteral("slow \"client\"\nsecond line"),
            {{QStringLiteral("peer"), QStringLiteral("127.0.0.1")}});
        QVERIFY(!line.contains('\n'));
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(object.value(QStringLiteral("level")).toString(), QStringLiteral("warn"));
        QCOMPARE(object.value(QStringLiteral("service")).toString(), QStringLiteral("veza-server"));
        QCOMPARE(object.value(QStringLiteral("version")).toString(), QStringLiteral("1.2.3"));
        QCOMPARE(object.value(QStringLiteral("environment")).toString(),
                 QStringLiteral("production"));
        QCOMPARE(object.value(QStringLiteral("module")).toString(), QStringLiteral("veza.net"));
        QCOMPARE(object.value(QStringLiteral("message")).toString(),
                 QStringLiteral("slow \"client\"\nsecond line"));
        QCOMPARE(object.value(QStringLiteral("fields"))
                     .toObject()
                     .value(QStringLiteral("peer"))
                     .toString(),
                 QStringLiteral("127.0.0.1"));
        QVERIFY(
            QDateTime::fromString(object.value(QStringLiteral("ts")).toString(), Qt::ISODateWithMs)
                .isValid());
    }

    void levelsSelectWhatIsWritten()
    {
        applyLogLevel(QStringLiteral("warn"));
        QVERIFY(!lcTestNet().isInfoEnabled());
        QVERIFY(lcTestNet().isWarningEnabled());
        QVERIFY(lcTestNet().isCriticalEnabled());

        applyLogLevel(QStringLiteral("info,veza.storage=debug"));
        QVERIFY(lcTestNet().isInfoEnabled());
        QVERIFY(!lcTestNet().isDebugEnabled());
        QVERIFY(lcTestStorage().isDebugEnabled());
        QVERIFY(lcTestStorageSub().isDebugEnabled());

        applyLogLevel(QStringLiteral("error"));
        QVERIFY(!lcTestNet().isWarningEnabled());
        QVERIFY(lcTestNet().isCriticalEnabled());

        applyLogLevel(QStringLiteral("trace"));
        QVERIFY(lcTestNet().isDebugEnabled());
    }
};

QTEST_GUILESS_MAIN(TestJsonLog)
#include "tst_jsonlog.moc"
