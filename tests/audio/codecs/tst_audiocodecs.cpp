// Encoders and containers of shared/audio: what they write must play in a real player
// (ffprobe/ffmpeg), at the bitrate asked for, and the Ogg/ADTS bytes must be laid out as the
// specifications say.
#include "FfmpegTools.h"
#include "OggPageReader.h"
#include "TestSignals.h"
#include "audio/AdtsHeader.h"
#include "audio/AvAudioEncoder.h"
#include "audio/OggOpusMuxer.h"
#include "audio/OpusFrameEncoder.h"
#include "audio/OpusPacketInfo.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace veza::audio;
using namespace veza::audio::test;

namespace {

constexpr double kSeconds = 3.0;
constexpr int kPacketsPerPage = 5;
constexpr quint32 kSerial = 0x5eed1234;
// Block lengths a source might deliver: odd, exactly one Opus frame, long.
constexpr int kBlockMs[] = {7, 20, 333};

struct Encoded
{
    QString error;
    std::vector<EncodedPacket> packets;
    QByteArray file; // what a listener would save: Ogg pages, MP3 frames or ADTS frames
};

template <typename Encoder>
std::vector<EncodedPacket> encodeAll(Encoder &encoder, const std::vector<PcmBlock> &blocks)
{
    std::vector<EncodedPacket> packets;
    for (const PcmBlock &block : blocks) {
        for (EncodedPacket &packet : encoder.encode(block))
            packets.push_back(std::move(packet));
    }
    return packets;
}

QByteArray oggFile(OggOpusMuxer &muxer, std::span<const EncodedPacket> packets)
{
    QByteArray file = muxer.headerPages();
    for (size_t at = 0; at < packets.size(); at += kPacketsPerPage)
        file +=
            muxer.pages(packets.subspan(at, qMin<size_t>(kPacketsPerPage, packets.size() - at)));
    return file;
}

Encoded encode(const QString &codec, int bitrate, const std::vector<PcmBlock> &blocks)
{
    Encoded out;
    if (codec == QLatin1StringView("opus")) {
        OpusFrameEncoder encoder(bitrate);
        if (!encoder.isValid()) {
            out.error = encoder.error();
            return out;
        }
        out.packets = encodeAll(encoder, blocks);
        OggOpusMuxer muxer(kSerial, encoder.preSkip());
        out.file = oggFile(muxer, out.packets);
        return out;
    }
    AvAudioEncoder encoder(codec == QLatin1StringView("mp3") ? AvAudioEncoder::Codec::Mp3
                                                             : AvAudioEncoder::Codec::Aac,
                           bitrate);
    if (!encoder.isValid()) {
        out.error = encoder.error();
        return out;
    }
    out.packets = encodeAll(encoder, blocks);
    for (const EncodedPacket &packet : out.packets)
        out.file += packet.data;
    if (!encoder.isValid())
        out.error = encoder.error();
    return out;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

std::vector<EncodedPacket> packetsOfSizes(std::initializer_list<int> sizes)
{
    std::vector<EncodedPacket> packets;
    char fill = 'a';
    for (int size : sizes)
        packets.push_back(EncodedPacket{QByteArray(size, fill++), kOpusFrameSamples, 0});
    return packets;
}

// Bits of a byte string, most significant first, for reading header fields.
quint32 bits(const QByteArray &bytes, int first, int count)
{
    quint32 value = 0;
    for (int i = first; i < first + count; ++i)
        value = (value << 1) | ((quint8(bytes[i / 8]) >> (7 - i % 8)) & 1);
    return value;
}

} // namespace

class TestAudioCodecs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void encodedFilePlaysAtTheRightRateAndPitch_data();
    void encodedFilePlaysAtTheRightRateAndPitch();

    void oggHeaderPagesDescribeTheStream();
    void oggPagesAreNumberedAndLastGranuleIsSamplesEncoded();
    void oggListenerJoiningMidStreamDecodes();
    void oggLacingOfLongAndExactly255BytePackets();
    void oggPacketsBeyond255LacingValuesStartANewPage();
    void oggPacketLongerThanAPageContinuesOnTheNext();

    void adtsHeaderFieldsDecodeBack_data();
    void adtsHeaderFieldsDecodeBack();
    void adtsHeaderRejectsWhatItCannotSignal();

    void invalidSettingsAreRejected_data();
    void invalidSettingsAreRejected();

    void opusPacketSamplesReadsTheToc();
    void opusPacketsCarryCaptureTimeOfTheBlockThatCompletedThem();
    void avPacketsCarryCaptureTimesInOrder();

private:
    QTemporaryDir m_dir;
};

void TestAudioCodecs::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty(),
             "ffprobe is needed (Debian package ffmpeg)");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty(),
             "ffmpeg is needed (Debian package ffmpeg)");
}

void TestAudioCodecs::encodedFilePlaysAtTheRightRateAndPitch_data()
{
    QTest::addColumn<QString>("codec"); // also ffprobe's codec_name
    QTest::addColumn<int>("bitrate");
    QTest::addColumn<double>("tone");
    QTest::newRow("opus 32k") << "opus" << 32000 << 440.0;
    QTest::newRow("opus 64k") << "opus" << 64000 << 440.0;
    QTest::newRow("opus 96k") << "opus" << 96000 << 440.0;
    QTest::newRow("opus 128k") << "opus" << 128000 << 440.0;
    QTest::newRow("mp3 128k") << "mp3" << 128000 << 440.0;
    QTest::newRow("aac 128k") << "aac" << 128000 << 440.0;
    // The pitch check tells tones apart: an 880 Hz input must come out as 880, not 440.
    QTest::newRow("opus 64k, 880 Hz") << "opus" << 64000 << 880.0;
    QTest::newRow("aac 128k, 880 Hz") << "aac" << 128000 << 880.0;
}

void TestAudioCodecs::encodedFilePlaysAtTheRightRateAndPitch()
{
    QFETCH(QString, codec);
    QFETCH(int, bitrate);
    QFETCH(double, tone);

    const Encoded encoded = encode(codec, bitrate, sineBlocks(tone, kSeconds, kBlockMs));
    QVERIFY2(encoded.error.isEmpty(), qPrintable(encoded.error));
    const QString path =
        m_dir.filePath(QStringLiteral("%1-%2-%3.%4")
                           .arg(codec)
                           .arg(bitrate)
                           .arg(tone)
                           .arg(codec == QLatin1StringView("opus") ? "ogg" : codec));
    QVERIFY(writeFile(path, encoded.file));

    const Probe info = probe(path);
    QVERIFY2(info.error.isEmpty(), qPrintable(info.error));
    QCOMPARE(info.codecName, codec);
    QCOMPARE(info.sampleRate, kSampleRate);
    QVERIFY2(qAbs(info.durationSeconds - kSeconds) <= 0.15,
             qPrintable(QStringLiteral("duration %1 s").arg(info.durationSeconds)));
    QVERIFY2(qAbs(double(info.bitRate) - bitrate) <= 0.25 * bitrate,
             qPrintable(QStringLiteral("bit_rate %1").arg(info.bitRate)));

    bool decoded = false;
    QByteArray log;
    const std::vector<float> pcm = decodeMono(path, &decoded, &log);
    QVERIFY2(decoded && log.isEmpty(), log.constData());
    const double heard = dominantFrequency(pcm);
    qInfo("%.3f s, %.1f kbit/s, %.1f Hz", info.durationSeconds, double(info.bitRate) / 1000, heard);
    QVERIFY2(qAbs(heard - tone) <= 5, qPrintable(QStringLiteral("dominant %1 Hz").arg(heard)));
}

void TestAudioCodecs::oggHeaderPagesDescribeTheStream()
{
    OggOpusMuxer muxer(kSerial, 356);
    QCOMPARE(muxer.serial(), kSerial);
    QCOMPARE(muxer.headerPages(), muxer.headerPages()); // every listener gets the same bytes
    QVERIFY(muxer.pages({}).isEmpty());

    QString error;
    const std::vector<OggPage> pages = readOggPages(muxer.headerPages(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(pages.size(), size_t(2));
    for (quint32 i = 0; i < 2; ++i) {
        QVERIFY(pages[i].crcMatches);
        QCOMPARE(pages[i].sequence, i);
        QCOMPARE(pages[i].serial, kSerial);
        QCOMPARE(pages[i].granule, 0);
    }
    QCOMPARE(pages[0].headerType, quint8(0x02)); // beginning of stream
    QCOMPARE(pages[1].headerType, quint8(0));

    const QByteArray head = pages[0].body;
    QCOMPARE(head.size(), 19);
    QCOMPARE(head.left(8), QByteArray("OpusHead"));
    QCOMPARE(quint8(head[8]), quint8(1)); // version
    QCOMPARE(quint8(head[9]), quint8(2)); // channels
    QCOMPARE(qFromLittleEndian<quint16>(head.constData() + 10), quint16(356));
    QCOMPARE(qFromLittleEndian<quint32>(head.constData() + 12), quint32(48000));
    QCOMPARE(qFromLittleEndian<qint16>(head.constData() + 16), qint16(0));
    QCOMPARE(quint8(head[18]), quint8(0)); // mapping family

    QByteArray tags("OpusTags");
    tags += QByteArray("\x04\0\0\0", 4) + "veza" + QByteArray(4, '\0');
    QCOMPARE(pages[1].body, tags);
}

void TestAudioCodecs::oggPagesAreNumberedAndLastGranuleIsSamplesEncoded()
{
    OpusFrameEncoder encoder(64000);
    QVERIFY2(encoder.isValid(), qPrintable(encoder.error()));
    const std::vector<EncodedPacket> packets = encodeAll(encoder, sineBlocks(440, 2.0, kBlockMs));
    QCOMPARE(packets.size(), size_t(2.0 * kSampleRate / kOpusFrameSamples));
    OggOpusMuxer muxer(kSerial, encoder.preSkip());
    const QByteArray file = oggFile(muxer, packets);

    QString error;
    const std::vector<OggPage> pages = readOggPages(file, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(pages.size(), 2 + packets.size() / kPacketsPerPage);
    for (size_t i = 0; i < pages.size(); ++i) {
        QVERIFY(pages[i].crcMatches);
        QCOMPARE(pages[i].sequence, quint32(i));
    }
    const qint64 samples = qint64(packets.size()) * kOpusFrameSamples;
    QCOMPARE(pages.back().granule, samples);
    QCOMPARE(muxer.granule(), samples);
    QCOMPARE(pages[2].granule, qint64(kPacketsPerPage) * kOpusFrameSamples);
}

void TestAudioCodecs::oggListenerJoiningMidStreamDecodes()
{
    OpusFrameEncoder encoder(64000);
    QVERIFY2(encoder.isValid(), qPrintable(encoder.error()));
    const std::vector<EncodedPacket> packets = encodeAll(encoder, sineBlocks(440, 4.0, kBlockMs));
    OggOpusMuxer muxer(kSerial, encoder.preSkip());
    const QByteArray whole = oggFile(muxer, packets);

    // The listener arrives after 2 s: headers, then the pages from there on.
    QString error;
    const std::vector<OggPage> pages = readOggPages(whole, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const size_t joinPage = 2 + packets.size() / kPacketsPerPage / 2;
    QByteArray late = muxer.headerPages();
    for (size_t i = joinPage; i < pages.size(); ++i)
        late += pages[i].bytes;
    const QString path = m_dir.filePath(QStringLiteral("late-listener.ogg"));
    QVERIFY(writeFile(path, late));

    bool decoded = false;
    QByteArray log;
    const std::vector<float> pcm = decodeMono(path, &decoded, &log);
    QVERIFY2(decoded && log.isEmpty(), log.constData());
    const double seconds = double(pcm.size()) / kSampleRate;
    QVERIFY2(qAbs(seconds - 2.0) <= 0.15, qPrintable(QStringLiteral("decoded %1 s").arg(seconds)));
    QVERIFY(qAbs(dominantFrequency(pcm) - 440) <= 5);
}

void TestAudioCodecs::oggLacingOfLongAndExactly255BytePackets()
{
    OggOpusMuxer muxer(kSerial);
    const std::vector<EncodedPacket> packets = packetsOfSizes({300, 255, 10});
    QString error;
    const std::vector<OggPage> pages = readOggPages(muxer.pages(packets), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(pages.size(), size_t(1));
    const OggPage &page = pages[0];
    // 300 = 255 + 45; exactly 255 needs a 0 to say the packet ends there.
    QCOMPARE(page.lacing, (std::vector<quint8>{255, 45, 255, 0, 10}));
    QCOMPARE(page.body, packets[0].data + packets[1].data + packets[2].data);
    QCOMPARE(page.headerType, quint8(0));
    QCOMPARE(page.sequence, quint32(2));
    QCOMPARE(page.granule, qint64(3 * kOpusFrameSamples));
    QVERIFY(page.crcMatches);
}

void TestAudioCodecs::oggPacketsBeyond255LacingValuesStartANewPage()
{
    OggOpusMuxer muxer(kSerial);
    // 2000 bytes take 8 lacing values: 31 packets fill 248, the 32nd starts the next page whole.
    std::vector<EncodedPacket> packets(32, EncodedPacket{QByteArray(2000, 'x'), 960, 0});
    QString error;
    const std::vector<OggPage> pages = readOggPages(muxer.pages(packets), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(pages.size(), size_t(2));
    QCOMPARE(pages[0].lacing.size(), size_t(31 * 8));
    QCOMPARE(pages[0].granule, qint64(31 * 960));
    QCOMPARE(pages[1].lacing.size(), size_t(8));
    QCOMPARE(pages[1].headerType, quint8(0)); // starts with a whole packet
    QCOMPARE(pages[1].granule, qint64(32 * 960));
    QCOMPARE(pages[1].sequence, quint32(3));
    QVERIFY(pages[0].crcMatches && pages[1].crcMatches);
}

void TestAudioCodecs::oggPacketLongerThanAPageContinuesOnTheNext()
{
    OggOpusMuxer muxer(kSerial);
    const std::vector<EncodedPacket> packets = packetsOfSizes({255 * 255 + 10});
    QString error;
    const std::vector<OggPage> pages = readOggPages(muxer.pages(packets), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(pages.size(), size_t(2));
    QCOMPARE(pages[0].lacing, std::vector<quint8>(255, 255));
    QCOMPARE(pages[0].granule, qint64(-1));      // no packet ends on it
    QCOMPARE(pages[1].headerType, quint8(0x01)); // continued packet
    QCOMPARE(pages[1].lacing, std::vector<quint8>{10});
    QCOMPARE(pages[1].granule, qint64(kOpusFrameSamples));
    QCOMPARE(pages[0].body + pages[1].body, packets[0].data);
}

void TestAudioCodecs::adtsHeaderFieldsDecodeBack_data()
{
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("payload");
    QTest::addColumn<int>("rateIndex");
    QTest::newRow("48k stereo") << 48000 << 2 << 371 << 3;
    QTest::newRow("44.1k mono, empty") << 44100 << 1 << 0 << 4;
    QTest::newRow("8k 7 channels, largest") << 8000 << 7 << 8191 - 7 << 11;
}

void TestAudioCodecs::adtsHeaderFieldsDecodeBack()
{
    QFETCH(int, sampleRate);
    QFETCH(int, channels);
    QFETCH(int, payload);
    QFETCH(int, rateIndex);
    const QByteArray h = adtsHeader(sampleRate, channels, payload);
    QCOMPARE(h.size(), 7);
    QCOMPARE(bits(h, 0, 12), 0xfffu);                // syncword
    QCOMPARE(bits(h, 12, 1), 0u);                    // MPEG-4
    QCOMPARE(bits(h, 13, 2), 0u);                    // layer
    QCOMPARE(bits(h, 15, 1), 1u);                    // protection absent: no CRC
    QCOMPARE(bits(h, 16, 2), 1u);                    // profile: AAC-LC
    QCOMPARE(bits(h, 18, 4), quint32(rateIndex));    // sampling frequency index
    QCOMPARE(bits(h, 23, 3), quint32(channels));     // channel configuration
    QCOMPARE(bits(h, 30, 13), quint32(payload + 7)); // frame length, header included
    QCOMPARE(bits(h, 43, 11), 0x7ffu);               // buffer fullness: VBR
    QCOMPARE(bits(h, 54, 2), 0u);                    // one raw data block
}

void TestAudioCodecs::adtsHeaderRejectsWhatItCannotSignal()
{
    QVERIFY(adtsHeader(12345, 2, 100).isEmpty());
    QVERIFY(adtsHeader(48000, 0, 100).isEmpty());
    QVERIFY(adtsHeader(48000, 8, 100).isEmpty());
    QVERIFY(adtsHeader(48000, 2, 8191 - 6).isEmpty()); // frame length overflows 13 bits
    QVERIFY(adtsHeader(48000, 2, -1).isEmpty());
}

void TestAudioCodecs::invalidSettingsAreRejected_data()
{
    QTest::addColumn<QString>("codec");
    QTest::addColumn<int>("bitrate");
    QTest::addColumn<int>("complexity");
    for (const char *codec : {"opus", "mp3", "aac"}) {
        QTest::addRow("%s 0 bit/s", codec) << codec << 0 << 5;
        QTest::addRow("%s 10 Mbit/s", codec) << codec << 10'000'000 << 5;
        QTest::addRow("%s -64k", codec) << codec << -64000 << 5;
    }
    QTest::newRow("opus complexity 11") << "opus" << 64000 << 11;
    QTest::newRow("opus complexity -1") << "opus" << 64000 << -1;
}

void TestAudioCodecs::invalidSettingsAreRejected()
{
    QFETCH(QString, codec);
    QFETCH(int, bitrate);
    QFETCH(int, complexity);
    const std::vector<PcmBlock> blocks = sineBlocks(440, 0.2, kBlockMs);
    if (codec == QLatin1StringView("opus")) {
        OpusFrameEncoder encoder(bitrate, complexity);
        QVERIFY(!encoder.isValid());
        QVERIFY(!encoder.error().isEmpty());
        QVERIFY(encodeAll(encoder, blocks).empty());
        return;
    }
    AvAudioEncoder encoder(codec == QLatin1StringView("mp3") ? AvAudioEncoder::Codec::Mp3
                                                             : AvAudioEncoder::Codec::Aac,
                           bitrate);
    QVERIFY(!encoder.isValid());
    QVERIFY(!encoder.error().isEmpty());
    QVERIFY(encodeAll(encoder, blocks).empty());
}

void TestAudioCodecs::opusPacketSamplesReadsTheToc()
{
    OpusFrameEncoder encoder(96000);
    QVERIFY2(encoder.isValid(), qPrintable(encoder.error()));
    const std::vector<EncodedPacket> packets = encodeAll(encoder, sineBlocks(440, 0.2, kBlockMs));
    QVERIFY(!packets.empty());
    for (const EncodedPacket &packet : packets)
        QCOMPARE(opusPacketSamples(packet.data), kOpusFrameSamples);

    // TOC config 31 (CELT fullband, 20 ms): code 1 holds two frames.
    QCOMPARE(opusPacketSamples(QByteArray("\xf9\x00", 2)), 2 * 960);
    // Config 16 (CELT narrowband, 2.5 ms), code 0: one frame.
    QCOMPARE(opusPacketSamples(QByteArray("\x80", 1)), 120);
    QCOMPARE(opusPacketSamples(QByteArray()), 0);
    // Code 3 with 48 frames of 20 ms: 960 ms is more than a packet may hold.
    QCOMPARE(opusPacketSamples(QByteArray("\xfb\x30", 2)), 0);
}

void TestAudioCodecs::opusPacketsCarryCaptureTimeOfTheBlockThatCompletedThem()
{
    OpusFrameEncoder encoder(64000);
    QVERIFY2(encoder.isValid(), qPrintable(encoder.error()));
    const std::vector<PcmBlock> blocks = sineBlocks(440, 1.0, kBlockMs);
    qint64 blockEnd = 0;
    qint64 packetEnd = 0;
    for (const PcmBlock &block : blocks) {
        blockEnd += block.frames();
        for (const EncodedPacket &packet : encoder.encode(block)) {
            packetEnd += packet.durationSamples;
            QCOMPARE(packet.captureNs, block.captureNs);
            QVERIFY(packetEnd <= blockEnd); // a packet only comes out once its audio is in
            QVERIFY(packetEnd > blockEnd - block.frames());
        }
    }
    QCOMPARE(packetEnd, blockEnd / kOpusFrameSamples * kOpusFrameSamples);
}

void TestAudioCodecs::avPacketsCarryCaptureTimesInOrder()
{
    for (AvAudioEncoder::Codec codec : {AvAudioEncoder::Codec::Mp3, AvAudioEncoder::Codec::Aac}) {
        AvAudioEncoder encoder(codec, 128000);
        QVERIFY2(encoder.isValid(), qPrintable(encoder.error()));
        QCOMPARE(encoder.codec(), codec);
        QCOMPARE(encoder.bitrate(), 128000);
        const std::vector<PcmBlock> blocks = sineBlocks(440, 1.0, kBlockMs);
        qint64 last = 0;
        int count = 0;
        for (const PcmBlock &block : blocks) {
            for (const EncodedPacket &packet : encoder.encode(block)) {
                // Stamped with the block its audio came from: never later than the block being
                // encoded now, never earlier than the previous packet's.
                QVERIFY(packet.captureNs >= qMax<qint64>(last, 1));
                QVERIFY(packet.captureNs <= block.captureNs);
                QCOMPARE(packet.durationSamples, codec == AvAudioEncoder::Codec::Mp3 ? 1152 : 1024);
                last = packet.captureNs;
                ++count;
            }
        }
        QVERIFY(count > 0);
        // The last block is long (over 10 frames): the encoder's delay leaves audio of it out.
        QCOMPARE(last, blocks.back().captureNs);
    }
}

QTEST_GUILESS_MAIN(TestAudioCodecs)
#include "tst_audiocodecs.moc"
