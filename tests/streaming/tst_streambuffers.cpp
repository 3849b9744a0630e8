// The stream hub's byte handling: the burst ring (the last bytes, oldest first, whatever the
// wrap-around) and the ICY metadata interleaver (a block after every metaint audio bytes, the
// title padded to 16-byte units, a zero byte when the title did not change), and how a live
// stream batches bytes for its listeners.
#include "streaming/BurstRing.h"
#include "streaming/IcyInterleaver.h"
#include "streaming/LiveStream.h"
#include "streaming/SourceSniffer.h"

#include <QTest>

using namespace veza::streaming;

namespace {

// Records what a live stream hands its network thread.
class RecordingSink final : public StreamSink
{
public:
    void post(const std::shared_ptr<LiveStream> &, const QByteArray &chunk, qint64) override
    {
        chunks.append(chunk);
    }
    void postEnd(const std::shared_ptr<LiveStream> &) override { ended = true; }

    QList<QByteArray> chunks;
    bool ended = false;
};

} // namespace

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

    // Listeners with their burst get the source's small writes in batches (one write per
    // listener per batch instead of per MP3 frame); a listener that joined with less burst
    // than it asked for (the stream just started) gets the next bytes at once.
    void listenersGetBatchesButAShortBurstIsNotKeptWaiting()
    {
        auto stream = std::make_shared<LiveStream>(1, QStringLiteral("s"), 64 * 1024, 0);
        const QByteArray frame(400, 'a'); // about one MP3 frame
        RecordingSink sink;
        LiveStream::Attachment attachment;
        QCOMPARE(stream->attachListener(&sink, 10, 4000, &attachment),
                 LiveStream::Attach::Attached);
        QVERIFY(attachment.burst.isEmpty());
        QVERIFY(stream->publish(frame));
        QCOMPARE(sink.chunks.size(), 1); // at once: it had no burst
        QCOMPARE(sink.chunks.first(), frame);

        for (int i = 0; i < 20; ++i)
            QVERIFY(stream->publish(frame));
        QCOMPARE(sink.chunks.size(), 1); // held for the batch

        RecordingSink second; // joins with its whole burst: nothing changes
        QCOMPARE(stream->attachListener(&second, 10, 4000, &attachment),
                 LiveStream::Attach::Attached);
        QCOMPARE(attachment.burst.size(), qsizetype(4000));
        QVERIFY(stream->publish(frame));
        QCOMPARE(sink.chunks.size(), 1);
        QCOMPARE(second.chunks.size(), 0);

        stream->flush(); // the batch, to both
        QCOMPARE(sink.chunks.size(), 2);
        QCOMPARE(sink.chunks.last().size(), qsizetype(21 * 400));
        QCOMPARE(second.chunks.size(), 1);
        stream->detachListener(&sink);
        stream->detachListener(&second);
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

    // A title is text inside StreamTitle='...';: whatever it holds, the block has exactly one
    // field, which players read back as the title.
    void titleCannotEndTheFieldOrAddOne_data()
    {
        QTest::addColumn<QByteArray>("title");
        QTest::addColumn<QByteArray>("field");
        QTest::newRow("injection") << QByteArray("Hit';StreamUrl='http://evil.example/';x='")
                                   << QByteArray("Hit\xE2\x80\x99;StreamUrl=\xE2\x80\x99http://"
                                                 "evil.example/\xE2\x80\x99;x=\xE2\x80\x99");
        QTest::newRow("apostrophe")
            << QByteArray("Don't Stop") << QByteArray("Don\xE2\x80\x99t Stop");
        QTest::newRow("controls") << QByteArray("A\r\nB\0C\x7F\tD", 9) << QByteArray("ABCD");
        QTest::newRow("utf-8 kept") << QByteArray("Caf\xC3\xA9") << QByteArray("Caf\xC3\xA9");
    }
    void titleCannotEndTheFieldOrAddOne()
    {
        QFETCH(QByteArray, title);
        QFETCH(QByteArray, field);
        const QByteArray block = IcyInterleaver::block(title);
        const QByteArray text =
            block.mid(1, block.indexOf('\0') < 0 ? -1 : block.indexOf('\0') - 1);
        QCOMPARE(text, "StreamTitle='" + field + "';");
        QCOMPARE(text.count('\''), 2);
    }

    // A long title is cut to the 4080-byte block on a character boundary, never inside one.
    void longTitleIsCutBetweenCharacters()
    {
        QByteArray title;
        while (title.size() < 5000)
            title += "\xC3\xA9"; // é, two bytes
        const QByteArray block = IcyInterleaver::block(title);
        QCOMPARE(block.size(), 1 + 255 * 16);
        const QByteArray text = block.mid(1).left(block.mid(1).indexOf('\0'));
        QVERIFY(text.endsWith("';"));
        const QByteArray kept = text.mid(13).chopped(2);
        QCOMPARE(kept.size() % 2, 0);
        QVERIFY(QString::fromUtf8(kept).toUtf8() == kept);
    }

    // The container a source sends, from its first bytes, next to what it announced.
    void sourceContainerIsSniffed_data()
    {
        QTest::addColumn<QByteArray>("declared");
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("used");
        const QByteArray ogg("OggS\0\x02", 6);
        const QByteArray ebml("\x1A\x45\xDF\xA3\x01");
        const QByteArray adts("\xFF\xF1\x50\x80");
        const QByteArray mpeg("\xFF\xFB\x90\x64"); // MPEG-1 layer III
        const QByteArray id3("ID3\x04\0", 5);
        QTest::newRow("ffmpeg's default, ogg")
            << QByteArray("audio/mpeg") << ogg << QByteArray("audio/ogg");
        QTest::newRow("ffmpeg's default, webm")
            << QByteArray("audio/mpeg") << ebml << QByteArray("audio/webm");
        QTest::newRow("ffmpeg's default, adts")
            << QByteArray("audio/mpeg") << adts << QByteArray("audio/aac");
        QTest::newRow("mp3 as announced")
            << QByteArray("audio/mpeg") << mpeg << QByteArray("audio/mpeg");
        QTest::newRow("mp3 with id3")
            << QByteArray("audio/mpeg") << id3 << QByteArray("audio/mpeg");
        QTest::newRow("mp3 announced as ogg")
            << QByteArray("audio/ogg") << mpeg << QByteArray("audio/mpeg");
        QTest::newRow("aacp stays aacp")
            << QByteArray("audio/aacp") << adts << QByteArray("audio/aacp");
        QTest::newRow("id3 before aac")
            << QByteArray("audio/aac") << id3 << QByteArray("audio/aac");
        QTest::newRow("garbage keeps the header")
            << QByteArray("audio/ogg") << QByteArray("junk!") << QByteArray("audio/ogg");
        QTest::newRow("layer 00 without the 12th sync bit")
            << QByteArray("audio/ogg") << QByteArray("\xFF\xE8\0\0", 4) << QByteArray("audio/ogg");
    }
    void sourceContainerIsSniffed()
    {
        QFETCH(QByteArray, declared);
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, used);
        QCOMPARE(SourceSniffer::reconcile(declared, head), used);
        QCOMPARE(SourceSniffer::reconcile(declared, head.left(3)), declared); // too few to tell
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
