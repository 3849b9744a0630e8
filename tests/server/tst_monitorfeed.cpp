// MonitorFeed, the ring /monitor sessions read their events from: a reader gets what follows
// its last sequence number in order, once; one that fell a whole ring behind is told how many
// it lost and gets the newest kCapacity; frames published as JSON get their time.
#include "endpoints/monitor/MonitorFeed.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using veza::endpoints::MonitorFeed;

class TestMonitorFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readersGetWhatFollowsOnce()
    {
        MonitorFeed feed;
        qint64 seq = feed.lastSeq();
        QCOMPARE(seq, 0);
        feed.publishFrame("a");
        feed.publishFrame("b");
        qint64 lost = -1;
        QCOMPARE(feed.since(seq, &lost), QList<QByteArray>({"a", "b"}));
        QCOMPARE(lost, 0);
        QCOMPARE(seq, 2);
        QVERIFY(feed.since(seq, &lost).isEmpty()); // nothing twice
        feed.publishFrame("c");
        QCOMPARE(feed.since(seq, &lost), QList<QByteArray>({"c"}));
    }

    void aReaderAWholeRingBehindIsToldWhatItLost()
    {
        MonitorFeed feed;
        qint64 seq = 0;
        const int total = MonitorFeed::kCapacity + 10;
        for (int i = 1; i <= total; ++i)
            feed.publishFrame(QByteArray::number(i));
        qint64 lost = 0;
        const QList<QByteArray> frames = feed.since(seq, &lost);
        QCOMPARE(lost, 10);
        QCOMPARE(frames.size(), MonitorFeed::kCapacity);
        QCOMPARE(frames.first(), QByteArray("11")); // the oldest still held
        QCOMPARE(frames.last(), QByteArray::number(total));
        QCOMPARE(seq, total);
    }

    void jsonEventsGetTheirTime()
    {
        MonitorFeed feed;
        feed.publish({{QStringLiteral("type"), QStringLiteral("refused")}});
        feed.publish({{QStringLiteral("type"), QStringLiteral("x")}, {QStringLiteral("at"), 5}});
        qint64 seq = 0, lost = 0;
        const QList<QByteArray> frames = feed.since(seq, &lost);
        QVERIFY(QJsonDocument::fromJson(frames.at(0)).object().value(u"at").toInteger() > 0);
        QCOMPARE(QJsonDocument::fromJson(frames.at(1)).object().value(u"at").toInteger(), 5);
    }
};

QTEST_GUILESS_MAIN(TestMonitorFeed)
#include "tst_monitorfeed.moc"
