// The live controls instances tell each other (cluster/StreamControlMessages): every kind
// goes out with its own name and comes back with every field it carries, and a message with
// an unknown kind, a bad mount name or no listener to kick is refused.
#include "cluster/StreamControlMessages.h"

#include <QJsonDocument>
#include <QTest>

using veza::cluster::StreamControl;

class TestStreamControl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyKindComesBackWhole()
    {
        using Kind = StreamControl::Kind;
        QSet<QByteArray> names;
        for (Kind kind : {Kind::End, Kind::Cut, Kind::KeyRotated, Kind::Described, Kind::Retitled,
                          Kind::Kick, Kind::Effects}) {
            StreamControl sent{kind, QStringLiteral("night-shift"), 0, {}, {}};
            sent.blockMs = kind == Kind::Cut ? 30000 : 0;
            if (kind == Kind::Described)
                sent.listing = {QStringLiteral("Night Shift"), QStringLiteral("dj"), false};
            if (kind == Kind::Retitled)
                sent.title = "Artist \xE2\x80\x93 Song";
            if (kind == Kind::Kick) {
                sent.streamId = 7;
                sent.listenerId = (qint64(3) << 32) + 41;
            }
            if (kind == Kind::Effects)
                sent.effects = {{QStringLiteral("gain_db"), -6}};
            const QByteArray name = sent.kindName();
            QVERIFY2(!name.isEmpty() && !names.contains(name), name.constData());
            names.insert(name);

            const std::optional<StreamControl> heard = StreamControl::of(name, sent.body());
            QVERIFY2(heard, name.constData());
            QCOMPARE(heard->kind, kind);
            if (kind != Kind::Kick)
                QCOMPARE(heard->name, sent.name);
            QCOMPARE(heard->blockMs, sent.blockMs);
            if (kind == Kind::Described) {
                QCOMPARE(heard->listing.title, sent.listing.title);
                QCOMPARE(heard->listing.owner, sent.listing.owner);
                QCOMPARE(heard->listing.isPublic, false);
            }
            if (kind == Kind::Retitled)
                QCOMPARE(heard->title, sent.title);
            QCOMPARE(heard->streamId, sent.streamId);
            QCOMPARE(heard->listenerId, sent.listenerId);
            QCOMPARE(heard->effects, sent.effects);
        }
    }

    void badMessagesAreRefused()
    {
        QVERIFY(!StreamControl::of("explode", R"({"name":"night-shift"})"));
        QVERIFY(!StreamControl::of("end", R"({"name":"../etc"})"));
        QVERIFY(!StreamControl::of("end", "not json"));
        QVERIFY(!StreamControl::of("kick", R"({"stream_id":7})"));
        QVERIFY(StreamControl::of("cut", R"({"name":"night-shift","block_ms":-5})")->blockMs == 0);
    }
};

QTEST_GUILESS_MAIN(TestStreamControl)
#include "tst_stream_control.moc"
