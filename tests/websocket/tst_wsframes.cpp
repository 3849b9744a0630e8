// The frame codec on well-formed traffic: decoding (whole, byte by byte, fragmented, with
// interleaved control frames), UTF-8 across fragments, close frames, the writer's encodings,
// round trips and the parser's memory use.
#include "WsTestSupport.h"
#include "net/ws/CloseCodes.h"

#include <QRandomGenerator>
#include <QTest>

using namespace veza::net::ws;
using namespace veza::net::ws::testing;

namespace {
QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int value : values)
        out.append(char(value));
    return out;
}

QByteArray filler(qsizetype size)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char('a' + i % 26);
    return out;
}
} // namespace

class TestWsFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcMaskedHelloIsDecoded()
    {
        FrameParser parser;
        RecordingSink sink;
        const QByteArray frame =
            bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
        QVERIFY(parser.feed(frame, sink));
        QCOMPARE(sink.log(), QStringList{"text:Hello"});
        QCOMPARE(masked(Opcode::Text, "Hello"), frame);
    }

    void rfcMaskedPongIsDecoded()
    {
        FrameParser parser;
        RecordingSink sink;
        QVERIFY(parser.feed(
            bytes({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}), sink));
        QCOMPARE(sink.log(), QStringList{"pong:Hello"});
    }

    void rfcUnmaskedExamplesAreWritten()
    {
        QCOMPARE(frame(Opcode::Text, "Hello"), bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
        QByteArray fragmented;
        appendFrame(fragmented, Opcode::Text, "Hel", false);
        appendFrame(fragmented, Opcode::Continuation, "lo");
        QCOMPARE(fragmented, bytes({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}));
        QCOMPARE(frame(Opcode::Ping, "Hello"), bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
        QCOMPARE(frame(Opcode::Binary, QByteArray(256, 'x')).first(4),
                 bytes({0x82, 0x7E, 0x01, 0x00}));
        QCOMPARE(frame(Opcode::Binary, QByteArray(65536, 'x')).first(10),
                 bytes({0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00}));
    }

    void singleFramesOfEveryLengthClass_data()
    {
        QTest::addColumn<int>("opcode");
        QTest::addColumn<int>("length");
        for (int length : {0, 1, 125, 126, 65535, 65536}) {
            QTest::addRow("text %d", length) << int(Opcode::Text) << length;
            QTest::addRow("binary %d", length) << int(Opcode::Binary) << length;
        }
    }

    void singleFramesOfEveryLengthClass()
    {
        QFETCH(int, opcode);
        QFETCH(int, length);
        const QByteArray payload = filler(length);
        const QByteArray wire = masked(Opcode(opcode), payload);
        QCOMPARE(wire.size(), frameHeaderSize(length) + 4 + length);

        FrameParser whole(1 << 20);
        RecordingSink wholeSink;
        QVERIFY(whole.feed(wire, wholeSink));
        QCOMPARE(wholeSink.events.size(), 1);
        QCOMPARE(int(wholeSink.events[0].opcode), opcode);
        QCOMPARE(wholeSink.events[0].payload, payload);

        FrameParser split(1 << 20);
        RecordingSink splitSink;
        QVERIFY(length > 1000 ? feedInChunks(split, wire, 7, splitSink)
                              : feedByteByByte(split, wire, splitSink));
        QCOMPARE(splitSink.events.size(), 1);
        QCOMPARE(splitSink.events[0].payload, payload);
    }

    void byteByByteEqualsWhole()
    {
        const QByteArray stream = masked(Opcode::Text, "first") + masked(Opcode::Ping, "p") +
                                  masked(Opcode::Binary, filler(300)) +
                                  masked(Opcode::Text, "frag", false) + masked(Opcode::Pong, "") +
                                  masked(Opcode::Continuation, "ment") +
                                  masked(Opcode::Close, bytes({0x03, 0xe8}) + "bye");
        FrameParser whole;
        RecordingSink wholeSink;
        QVERIFY(whole.feed(stream, wholeSink));
        QCOMPARE(wholeSink.log(),
                 (QStringList{"text:first", "ping:p", "binary:" + QString::fromLatin1(filler(300)),
                              "pong:", "text:fragment", "close:1000:bye"}));
        for (qsizetype chunk : {1, 2, 3, 5, 13, 64}) {
            FrameParser parser;
            RecordingSink sink;
            QVERIFY(feedInChunks(parser, stream, chunk, sink));
            QCOMPARE(sink.log(), wholeSink.log());
        }
    }

    void fragmentedTextWithInterleavedPing()
    {
        FrameParser parser;
        RecordingSink sink;
        QVERIFY(parser.feed(masked(Opcode::Text, "Hel", false), sink));
        QVERIFY(parser.feed(masked(Opcode::Ping, "are you there"), sink));
        QCOMPARE(sink.log(), QStringList{"ping:are you there"}); // before the message ends
        QVERIFY(parser.feed(masked(Opcode::Continuation, "lo, ", false), sink));
        QVERIFY(parser.feed(masked(Opcode::Continuation, "world"), sink));
        QCOMPARE(sink.log(), (QStringList{"ping:are you there", "text:Hello, world"}));
    }

    void emptyFragmentsAreAllowed()
    {
        FrameParser parser;
        RecordingSink sink;
        const QByteArray stream = masked(Opcode::Binary, "", false) +
                                  masked(Opcode::Continuation, "", false) +
                                  masked(Opcode::Continuation, "");
        QVERIFY(parser.feed(stream, sink));
        QCOMPARE(sink.log(), QStringList{"binary:"});
    }

    void invalidUtf8FailsAtTheFragmentThatMakesItCertain()
    {
        FrameParser parser;
        RecordingSink sink;
        QVERIFY(parser.feed(masked(Opcode::Text, "caf\xc3\xa9 ", false), sink));
        QVERIFY(parser.feed(masked(Opcode::Continuation, "ok \xf4", false),
                            sink)); // F4 may start U+10xxxx
        QVERIFY(!parser.feed(masked(Opcode::Continuation, "\x90 ok", false),
                             sink)); // F4 90: > U+10FFFF
        QCOMPARE(parser.errorCode(), CloseCode::InvalidPayload);
        QVERIFY(sink.events.isEmpty());
    }

    void invalidUtf8FailsBeforeTheFrameIsComplete()
    {
        FrameParser parser;
        RecordingSink sink;
        const QByteArray wire = masked(Opcode::Text, "ab\xc0\xaf" + filler(1000));
        QVERIFY(!parser.feed(wire.first(20), sink)); // header (8) + 12 payload bytes
        QCOMPARE(parser.errorCode(), CloseCode::InvalidPayload);
    }

    void multiByteCharacterSplitAcrossFragmentsPasses()
    {
        const QByteArray clef = "\xf0\x9d\x84\x9e"; // U+1D11E
        for (int cut = 1; cut < clef.size(); ++cut) {
            FrameParser parser;
            RecordingSink sink;
            QVERIFY(parser.feed(masked(Opcode::Text, "x" + clef.first(cut), false), sink));
            QVERIFY(parser.feed(masked(Opcode::Continuation, clef.sliced(cut) + "y"), sink));
            QCOMPARE(sink.log(), QStringList{"text:x" + QString::fromUtf8(clef) + "y"});
        }
    }

    void truncatedSequenceAtTheEndOfAMessageFails()
    {
        FrameParser fragmented;
        RecordingSink sink;
        QVERIFY(fragmented.feed(masked(Opcode::Text, "euro ", false), sink));
        QVERIFY(!fragmented.feed(masked(Opcode::Continuation, "\xe2\x82"), sink));
        QCOMPARE(fragmented.errorCode(), CloseCode::InvalidPayload);

        FrameParser single;
        QVERIFY(!single.feed(masked(Opcode::Text, "euro \xe2\x82"), sink));
        QCOMPARE(single.errorCode(), CloseCode::InvalidPayload);
        QVERIFY(sink.events.isEmpty());
    }

    void closePayloads_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("code"); // the code delivered, or the parser's error code
        QTest::addColumn<bool>("accepted");
        QTest::newRow("empty") << QByteArray() << 1005 << true;
        for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
                         3000, 3999, 4000, 4999}) {
            QTest::addRow("valid %d", code) << bytes({code >> 8, code & 0xff}) << code << true;
        }
        for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            QTest::addRow("invalid %d", code) << bytes({code >> 8, code & 0xff}) << 1002 << false;
        }
        QTest::newRow("one byte") << bytes({0x03}) << 1002 << false;
        QTest::newRow("reason") << bytes({0x03, 0xe8}) + "d\xc3\xa9j\xc3\xa0" << 1000 << true;
        QTest::newRow("invalid reason") << bytes({0x03, 0xe8}) + "\xed\xa0\x80" << 1007 << false;
    }

    void closePayloads()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, code);
        QFETCH(bool, accepted);
        FrameParser parser;
        RecordingSink sink;
        QCOMPARE(parser.feed(masked(Opcode::Close, payload), sink), accepted);
        if (accepted) {
            QCOMPARE(sink.events.size(), 1);
            QCOMPARE(int(sink.events[0].code), code);
            QCOMPARE(sink.events[0].payload, payload.mid(2));
            QVERIFY(parser.closeReceived());
        } else {
            QCOMPARE(int(parser.errorCode()), code);
            QVERIFY(sink.events.isEmpty());
        }
    }

    void inputAfterCloseIsIgnored()
    {
        FrameParser parser;
        RecordingSink sink;
        QVERIFY(parser.feed(QByteArray(masked(Opcode::Close, "") + masked(Opcode::Text, "late")),
                            sink));
        QVERIFY(parser.feed(QByteArray("\xff\xff garbage"), sink));
        QCOMPARE(sink.log(), QStringList{"close:1005:"});
    }

    void writerHeaders_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("0") << 0 << bytes({0x82, 0x00});
        QTest::newRow("125") << 125 << bytes({0x82, 0x7d});
        QTest::newRow("126") << 126 << bytes({0x82, 0x7e, 0x00, 0x7e});
        QTest::newRow("65535") << 65535 << bytes({0x82, 0x7e, 0xff, 0xff});
        QTest::newRow("65536") << 65536 << bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0, 0});
    }

    void writerHeaders()
    {
        QFETCH(int, length);
        QFETCH(QByteArray, header);
        const QByteArray payload = filler(length);
        const QByteArray wire = frame(Opcode::Binary, payload);
        QCOMPARE(frameHeaderSize(length), header.size());
        QCOMPARE(wire.first(header.size()), header);
        QCOMPARE(wire.sliced(header.size()), payload);

        QByteArray appended("prefix");
        appendFrame(appended, Opcode::Binary, payload, false);
        QCOMPARE(appended.sliced(6, header.size()),
                 QByteArray(char(header[0] & 0x7f) + header.sliced(1)));
    }

    void closeFrameTruncatesAtACharacterBoundary()
    {
        QCOMPARE(closeFrame(1000, "bye"), bytes({0x88, 0x05, 0x03, 0xe8}) + "bye");
        QCOMPARE(closeFrame(CloseCode::NoStatus, "ignored"), bytes({0x88, 0x00}));

        const QByteArray ascii(200, 'a');
        const QByteArray asciiFrame = closeFrame(1001, ascii);
        QCOMPARE(asciiFrame.size(), 2 + 125);
        QCOMPARE(asciiFrame.sliced(4), ascii.first(123));

        QByteArray accents; // 2-byte characters: 123 bytes would split the 62nd
        for (int i = 0; i < 70; ++i)
            accents += "\xc3\xa9";
        const QByteArray accentFrame = closeFrame(1000, accents);
        QCOMPARE(accentFrame.sliced(4), accents.first(122));

        FrameParser parser;
        RecordingSink sink;
        QVERIFY(parser.feed(masked(Opcode::Close, accentFrame.sliced(2)), sink));
        QCOMPARE(sink.events.size(), 1);
    }

    void randomRoundTrips()
    {
        QRandomGenerator random(20240611);
        for (int round = 0; round < 300; ++round) {
            const bool text = random.bounded(2) == 0;
            const int length = random.bounded(4) == 0 ? random.bounded(70000) : random.bounded(300);
            QByteArray payload;
            if (text) {
                QString chars;
                while (chars.size() < length / 2)
                    chars += QChar(char16_t(random.bounded(1, 0xD7FF)));
                payload = chars.toUtf8();
            } else {
                payload.resize(length);
                random.fillRange(reinterpret_cast<quint32 *>(payload.data()), length / 4);
            }
            const Opcode opcode = text ? Opcode::Text : Opcode::Binary;
            const QByteArray wire = maskedFrame(opcode, payload, random.generate());
            FrameParser parser(1 << 20);
            RecordingSink sink;
            QVERIFY(feedInChunks(parser, wire, 1 + random.bounded(int(wire.size())), sink));
            QCOMPARE(sink.events.size(), 1);
            QCOMPARE(sink.events[0].opcode, opcode);
            QCOMPARE(sink.events[0].payload, payload);
        }
    }

    void wholeFramesLeaveNoHeapMemory()
    {
        QVERIFY(sizeof(FrameParser) < 64);
        FrameParser parser;
        RecordingSink sink;
        QVERIFY(parser.feed(
            QByteArray(masked(Opcode::Text, filler(5000)) + masked(Opcode::Ping, "x")), sink));
        QCOMPARE(parser.bufferedBytes(),
                 qsizetype(0)); // delivered from the input, nothing retained
        QCOMPARE(sink.events.size(), 2);
    }

    void releaseIdleMemoryAfterCompleteFrames()
    {
        FrameParser parser;
        RecordingSink sink;
        const QByteArray wire = masked(Opcode::Binary, filler(3000));
        QVERIFY(parser.feed(wire.first(1000), sink));
        QVERIFY(parser.bufferedBytes() >= 1000 - 8); // the partial payload is retained
        parser.releaseIdleMemory();
        QVERIFY(parser.bufferedBytes() > 0); // still in progress: kept
        QVERIFY(parser.feed(wire.sliced(1000), sink));
        QCOMPARE(sink.events.size(), 1);
        parser.releaseIdleMemory();
        QCOMPARE(parser.bufferedBytes(), qsizetype(0));

        QVERIFY(parser.feed(masked(Opcode::Text, "a", false), sink));
        QVERIFY(parser.feed(masked(Opcode::Continuation, "b"), sink));
        parser.releaseIdleMemory();
        QCOMPARE(parser.bufferedBytes(), qsizetype(0));
        QCOMPARE(sink.log().last(), QStringLiteral("text:ab"));
    }
};

QTEST_GUILESS_MAIN(TestWsFrames)
#include "tst_wsframes.moc"
