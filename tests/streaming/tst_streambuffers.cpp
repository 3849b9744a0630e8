// The stream hub's byte handling: the burst ring (the last bytes, oldest first, whatever the
// wrap-around) and the ICY metadata interleaver (a block after every metaint audio bytes, the
// title padded to 16-byte units, a zero byte when the title did not change).
#include "streaming/BurstRing.h"
#include "streaming/IcyInterleaver.h"

#include <QTest>

using namespace veza::streaming;

class TestStreamBuffers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ringKeepsTheNewestBytes()
    {
        BurstRing ring(8);
        QCOMPARE(ring.tail(4), QByteArray());
        ring.append("abc");
        QCOMPARE(ring.tail(10), QByteArray("abc"));
        ring.append("defgh");
        QCOMPARE(ring.size(), qsizetype(8));
        ring.append("ijk"); // wraps around
        QCOMPARE(ring.tail(8), QByteArray("defghijk"));
        QCOMPARE(ring.tail(3), QByteArray("ijk"));
        QCOMPARE(ring.totalWritten(), qint64(11));
        ring.append("0123456789xyz"); // larger than the ring
        QCOMPARE(ring.tail(8), QByteArray("56789xyz"));
        QCOMPARE(ring.totalWritten(), qint64(24));
    }

    void ringMatchesAReferenceUnderRandomWrites()
    {
        BurstRing ring(1000);
        QByteArray reference;
        for (int i = 0; i < 500; ++i) {
            QByteArray piece(int(i * 37 % 700), char('a' + i % 26));
            ring.append(piece);
            reference += piece;
            QCOMPARE(ring.tail(1000), reference.right(1000));
            QCOMPARE(ring.tail(123), reference.right(qMin<qsizetype>(123, reference.size())));
        }
    }

    // Ogg pages must reach a new listener whole: the burst starts at the first page that fits.
    void chunkedRingNeverCutsAChunk()
    {
        BurstRing ring(10, /*chunked=*/true);
        ring.append("aaaa");
        ring.append("bbb");
        QCOMPARE(ring.tail(5), QByteArray("bbb"));
        QCOMPARE(ring.tail(7), QByteArray("aaaabbb"));
        ring.append("cccccc"); // "aaaa" partly overwritten: never handed out again
        QCOMPARE(ring.tail(10), QByteArray("bbbcccccc"));
        QCOMPARE(ring.tail(8), QByteArray("cccccc"));
        ring.clear();
        QCOMPARE(ring.tail(10), QByteArray());
        QCOMPARE(ring.totalWritten(), qint64(13));
        ring.append("dd");
        QCOMPARE(ring.tail(10), QByteArray("dd"));
    }

    void blockIsPaddedToSixteen()
    {
        const QByteArray block = IcyInterleaver::block("Artist - Song");
        const QByteArray text = "StreamTitle='Artist - Song';"; // 28 bytes -> 2 units
        QCOMPARE(int(block.at(0)), 2);
        QCOMPARE(block.size(), 1 + 32);
        QCOMPARE(block.mid(1, text.size()), text);
        QCOMPARE(block.mid(1 + text.size()), QByteArray(32 - text.size(), '\0'));
        QCOMPARE(int(quint8(IcyInterleaver::block(QByteArray(5000, 'x')).at(0))), 255);
    }

    void blocksComeEveryMetaintBytes()
    {
        IcyInterleaver icy(10);
        QByteArray out;
        icy.feed("0123456", "A", out); // split across calls
        icy.feed("789abcdefghij", "A", out);
        const QByteArray block = IcyInterleaver::block("A");
        QCOMPARE(out, "0123456789" + block + "abcdefghij" + QByteArray(1, '\0'));
        out.clear();
        icy.feed("0123456789", "B", out); // a new title is sent again
        QCOMPARE(out, "0123456789" + IcyInterleaver::block("B"));
        out.clear();
        icy.feed("01234", "B", out);
        QCOMPARE(out, QByteArray("01234"));
    }
};

QTEST_GUILESS_MAIN(TestStreamBuffers)
#include "tst_streambuffers.moc"
