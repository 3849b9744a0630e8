// Every RFC 6455 §5 rule the parser enforces on client frames, each with the close code it
// must fail with, whole and byte by byte; and what must stay accepted (non-minimal lengths).
#include "WsTestSupport.h"
#include "net/ws/CloseCodes.h"

#include <QTest>

using namespace veza::net::ws;
using namespace veza::net::ws::testing;

namespace {
// A masked header with an arbitrary first byte and 7-bit length code, then extended length
// bytes and the mask; no payload.
QByteArray header(int firstByte, int lengthCode, QByteArray extendedLength = {})
{
    QByteArray out;
    out.append(char(firstByte));
    out.append(char(0x80 | lengthCode));
    out.append(extendedLength);
    out.append("\x37\xfa\x21\x3d");
    return out;
}

QByteArray bigEndian64(quint64 value)
{
    QByteArray out;
    for (int shift = 56; shift >= 0; shift -= 8)
        out.append(char(value >> shift));
    return out;
}

QByteArray withRsv(QByteArray frame, int bits)
{
    frame[0] = char(quint8(frame[0]) | bits);
    return frame;
}
} // namespace

class TestWsViolations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void violationsFailWithTheirCloseCode_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<int>("code");
        const int protocolError = CloseCode::ProtocolError;

        QByteArray unmasked = masked(Opcode::Text, "hi");
        unmasked[1] = char(quint8(unmasked[1]) & 0x7f);
        unmasked.remove(2, 4);
        QTest::newRow("unmasked") << unmasked << protocolError;
        QTest::newRow("rsv1") << withRsv(masked(Opcode::Text, "hi"), 0x40) << protocolError;
        QTest::newRow("rsv2") << withRsv(masked(Opcode::Text, "hi"), 0x20) << protocolError;
        QTest::newRow("rsv3") << withRsv(masked(Opcode::Binary, "hi"), 0x10) << protocolError;
        QTest::newRow("rsv on ping") << withRsv(masked(Opcode::Ping, ""), 0x40) << protocolError;
        for (int opcode : {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
            QTest::addRow("opcode %X", opcode) << header(0x80 | opcode, 0) << protocolError;
        QTest::newRow("ping without fin") << masked(Opcode::Ping, "x", false) << protocolError;
        QTest::newRow("close without fin") << masked(Opcode::Close, "", false) << protocolError;
        QTest::newRow("ping of 126") << masked(Opcode::Ping, QByteArray(126, 'p')) << protocolError;
        QTest::newRow("pong of 200 (header)")
            << header(0x8A, 126, QByteArray("\x00\xc8", 2)) << protocolError;
        QTest::newRow("close of 1 byte") << masked(Opcode::Close, "\x03") << protocolError;
        QTest::newRow("continuation first") << masked(Opcode::Continuation, "x") << protocolError;
        QTest::newRow("continuation after whole message")
            << masked(Opcode::Text, "done") + masked(Opcode::Continuation, "x") << protocolError;
        QTest::newRow("text while fragmented")
            << masked(Opcode::Text, "a", false) + masked(Opcode::Text, "b") << protocolError;
        QTest::newRow("binary while fragmented")
            << masked(Opcode::Binary, "a", false) + masked(Opcode::Binary, "b") << protocolError;
        QTest::newRow("64-bit length msb")
            << header(0x82, 127, bigEndian64(0x8000000000000001ULL)) << protocolError;
        QTest::newRow("invalid close code")
            << masked(Opcode::Close, QByteArray("\x03\xec", 2)) << protocolError; // 1004
        QTest::newRow("invalid utf-8 text")
            << masked(Opcode::Text, "\xed\xa0\x80") << int(CloseCode::InvalidPayload);
        QTest::newRow("overlong utf-8 text")
            << masked(Opcode::Text, "\xc0\xaf") << int(CloseCode::InvalidPayload);
        QTest::newRow("invalid close reason")
            << masked(Opcode::Close, QByteArray("\x03\xe8\xff", 3))
            << int(CloseCode::InvalidPayload);
        QTest::newRow("frame over the limit")
            << masked(Opcode::Binary, QByteArray(1025, 'x')) << int(CloseCode::TooBig);
        QTest::newRow("message over the limit")
            << masked(Opcode::Text, QByteArray(600, 'x'), false) +
                   masked(Opcode::Continuation, QByteArray(425, 'x'))
            << int(CloseCode::TooBig);
    }

    void violationsFailWithTheirCloseCode()
    {
        QFETCH(QByteArray, stream);
        QFETCH(int, code);
        for (bool byteByByte : {false, true}) {
            FrameParser parser(1024);
            RecordingSink sink;
            const bool ok =
                byteByByte ? feedByteByByte(parser, stream, sink) : parser.feed(stream, sink);
            QVERIFY(!ok);
            QVERIFY(parser.failed());
            QCOMPARE(int(parser.errorCode()), code);
            QVERIFY(!parser.errorReason().isEmpty());
            // The parser refuses everything afterwards, and kept no memory.
            QVERIFY(!parser.feed(masked(Opcode::Text, "after"), sink));
            QCOMPARE(parser.bufferedBytes(), qsizetype(0));
            for (const Event &event : std::as_const(sink.events))
                QVERIFY(event.kind != Event::Message || event.payload != "after");
        }
    }

    void oversizeIsRefusedFromTheHeaderAlone()
    {
        FrameParser parser; // 64 KiB
        RecordingSink sink;
        // Only the 10 bytes announcing 10 MB arrive: refused before any payload or mask.
        QVERIFY(
            !parser.feed(QByteArray(QByteArray("\x82\xff", 2) + bigEndian64(10'000'000)), sink));
        QCOMPARE(parser.errorCode(), CloseCode::TooBig);
        QVERIFY(sink.events.isEmpty());

        FrameParser sixteenBit(1000);
        QVERIFY(!sixteenBit.feed(QByteArray("\x81\xfe\x03\xe9", 4), sink)); // 1001 bytes
        QCOMPARE(sixteenBit.errorCode(), CloseCode::TooBig);
    }

    void fragmentedMessageOverTheLimitIsRefusedAtTheFragmentHeader()
    {
        FrameParser parser(1000);
        RecordingSink sink;
        QVERIFY(parser.feed(masked(Opcode::Binary, QByteArray(600, 'a'), false), sink));
        QVERIFY(parser.feed(masked(Opcode::Continuation, QByteArray(400, 'b'), false), sink));
        QVERIFY(!parser.feed(QByteArray("\x80\x81", 2), sink)); // 1 more byte announced
        QCOMPARE(parser.errorCode(), CloseCode::TooBig);
    }

    void messagesOfExactlyTheLimitPass()
    {
        FrameParser parser(1000);
        RecordingSink sink;
        QVERIFY(parser.feed(masked(Opcode::Binary, QByteArray(1000, 'a')), sink));
        QVERIFY(parser.feed(masked(Opcode::Text, QByteArray(999, 'a'), false), sink));
        QVERIFY(parser.feed(masked(Opcode::Continuation, "b"), sink));
        QCOMPARE(sink.events.size(), 2);
        QCOMPARE(sink.events[1].payload.size(), 1000);
    }

    void nonMinimalLengthEncodingsAreAccepted()
    {
        const QByteArray hello("\x7f\x9f\x4d\x51\x58", 5); // "Hello" masked with kRfcMask
        FrameParser parser;
        RecordingSink sink;
        QVERIFY(
            parser.feed(QByteArray(header(0x81, 126, QByteArray("\x00\x05", 2)) + hello), sink));
        QVERIFY(parser.feed(QByteArray(header(0x82, 127, bigEndian64(5)) + hello), sink));
        QVERIFY(
            parser.feed(QByteArray(header(0x89, 126, QByteArray("\x00\x05", 2)) + hello), sink));
        QCOMPARE(sink.log(), (QStringList{"text:Hello", "binary:Hello", "ping:Hello"}));
    }

    void controlFramesOfExactly125BytesPass()
    {
        FrameParser parser;
        RecordingSink sink;
        const QByteArray payload(125, 'c');
        QVERIFY(feedByteByByte(parser, masked(Opcode::Ping, payload), sink));
        QVERIFY(parser.feed(masked(Opcode::Close, QByteArray("\x03\xe8", 2) + QByteArray(123, 'r')),
                            sink));
        QCOMPARE(sink.events.size(), 2);
        QCOMPARE(sink.events[0].payload, payload);
        QCOMPARE(sink.events[1].payload.size(), 123);
    }
};

QTEST_GUILESS_MAIN(TestWsViolations)
#include "tst_wsviolations.moc"
