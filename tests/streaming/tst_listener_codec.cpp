// What GET /api/streams/{name}/listeners (and the console's listeners table) says a listener
// hears: the encoder of its rendition, or the source's own container.
#include "streaming/ListenerRoster.h"

#include <QTest>

using veza::streaming::codecOfRendition;

class TestListenerCodec : public QObject
{
    Q_OBJECT

private slots:
    void renditionsNameTheirEncoder()
    {
        QCOMPARE(codecOfRendition(QStringLiteral("opus32"), {}), QStringLiteral("opus"));
        QCOMPARE(codecOfRendition(QStringLiteral("opus128"), {}), QStringLiteral("opus"));
        // The digit belongs to the codec's name, not to a bitrate.
        QCOMPARE(codecOfRendition(QStringLiteral("mp3"), {}), QStringLiteral("mp3"));
        QCOMPARE(codecOfRendition(QStringLiteral("aac"), {}), QStringLiteral("aac"));
    }

    void theSourceNamesItsContainer()
    {
        QCOMPARE(codecOfRendition(QStringLiteral("source"), "audio/mpeg"), QStringLiteral("mp3"));
        QCOMPARE(codecOfRendition(QStringLiteral("source"), "audio/aac"), QStringLiteral("aac"));
    }
};

QTEST_GUILESS_MAIN(TestListenerCodec)
#include "tst_listener_codec.moc"
