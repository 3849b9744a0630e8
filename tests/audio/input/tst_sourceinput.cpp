// Source input end to end, fed like a live source: a thread pushes an encoded file into a
// SourceBuffer in random-sized chunks while the test thread opens it with SourceDemuxer (format
// forced from the Content-Type) and decodes it with AudioDecoder to 48 kHz stereo float. Every
// input is a 440 Hz tone that ffmpeg encodes at run time, so the checks are on what a listener
// would hear: how long it lasts, its pitch, both channels; plus no hang on junk, abort, stalls.
#include "MonotonicClock.h"
#include "SourceFeeder.h"
#include "ToneMeter.h"
#include "audio/input/AudioDecoder.h"
#include "audio/input/AudioLimits.h"
#include "audio/input/SourceBuffer.h"
#include "audio/input/SourceDemuxer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>
#include <atomic>
#include <numbers>
#include <thread>

extern "C" {
#include <libavutil/log.h>
}

using namespace veza::audio;
using namespace veza::audio::test;
using veza::monotonicNs;

namespace {

constexpr double kToneHz = 440.0;
constexpr double kToneSeconds = 3.0;
constexpr double kSineAmplitude = 0.125; // ffmpeg's sine source

// Everything the test thread got out of one source.
struct Decoded
{
    bool opened = false;
    QString error;
    SourceFormat format;
    std::vector<float> pcm;        // 48 kHz interleaved stereo
    std::vector<qint64> captureNs; // per decoded packet
    SourceDemuxer::Result last = SourceDemuxer::Result::Error;
    int packets = 0;
    qint64 packetSamples = 0; // sum of DemuxedPacket::durationSamples
    int rejected = 0;

    double seconds() const { return double(pcm.size()) / kChannels / kSampleRate; }
};

// The pipeline thread's loop: open, then read + decode until End or Error (or until the decoder
// rejected maxRejectsInARow packets in a row, where the pipeline would drop the source).
Decoded demuxAndDecode(SourceBuffer &buffer, const QByteArray &contentType,
                       std::function<void()> stallHook = {}, int maxRejectsInARow = 50)
{
    Decoded decoded;
    SourceDemuxer demuxer(buffer, contentType, std::move(stallHook));
    decoded.opened = demuxer.open(&decoded.error);
    if (!decoded.opened)
        return decoded;
    decoded.format = demuxer.format();
    AudioDecoder decoder(demuxer.parameters());
    if (!decoder.isValid()) {
        decoded.error = decoder.error();
        return decoded;
    }
    DemuxedPacket packet;
    while ((decoded.last = demuxer.read(&packet, &decoded.error)) ==
           SourceDemuxer::Result::Packet) {
        ++decoded.packets;
        decoded.packetSamples += packet.durationSamples;
        PcmBlock block;
        QString rejection;
        if (!decoder.decode(packet, &block, &rejection)) {
            ++decoded.rejected;
            if (decoder.consecutiveErrors() >= maxRejectsInARow)
                break;
            continue;
        }
        decoded.pcm.insert(decoded.pcm.end(), block.samples.begin(), block.samples.end());
        decoded.captureNs.push_back(block.captureNs);
    }
    return decoded;
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator random(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &byte : bytes)
        byte = char(random.bounded(256));
    return bytes;
}

double secondsSince(qint64 ns)
{
    return double(monotonicNs() - ns) / 1e9;
}

// One Ogg page as found in the bytes: where it starts, how long it is, its granule position.
struct OggPage
{
    qsizetype offset = 0;
    qsizetype size = 0;
    qint64 granule = 0;
};

QList<OggPage> oggPages(const QByteArray &bytes)
{
    QList<OggPage> pages;
    qsizetype pos = 0;
    while (pos + 27 <= bytes.size() && bytes.mid(pos, 4) == "OggS") {
        const auto *header = reinterpret_cast<const uchar *>(bytes.constData() + pos);
        const int segments = header[26];
        qsizetype body = 0;
        for (int i = 0; i < segments && pos + 27 + i < bytes.size(); ++i)
            body += header[27 + i];
        pages.append({pos, 27 + segments + body, qFromLittleEndian<qint64>(header + 6)});
        pos += 27 + segments + body;
    }
    return pages;
}

} // namespace

class TestSourceInput : public QObject
{
    Q_OBJECT

public:
    // Encodes `seconds` of a `hz` tone with ffmpeg into the temporary directory; empty on failure.
    QByteArray encodeTone(const QString &fileName, int sampleRate, int channels,
                          const QStringList &codecArgs, double seconds = kToneSeconds,
                          double hz = kToneHz)
    {
        const QString path = m_dir.filePath(fileName);
        QStringList args{"-hide_banner",
                         "-loglevel",
                         "error",
                         "-nostdin",
                         "-f",
                         "lavfi",
                         "-i",
                         QStringLiteral("sine=frequency=%1:duration=%2:sample_rate=%3")
                             .arg(hz)
                             .arg(seconds)
                             .arg(sampleRate),
                         "-ac",
                         QString::number(channels)};
        args << codecArgs << "-y" << path;
        return runFfmpeg(args, path);
    }

    QByteArray runFfmpeg(const QStringList &args, const QString &path)
    {
        QProcess ffmpeg;
        ffmpeg.start(QStringLiteral("ffmpeg"), args);
        if (!ffmpeg.waitForFinished(30000) || ffmpeg.exitCode() != 0) {
            qWarning() << "ffmpeg failed:" << args << ffmpeg.readAllStandardError();
            return {};
        }
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private:
    QTemporaryDir m_dir;

    // The formats a broadcaster sends, each announced as Icecast would.
    static void addFormatRows()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QStringList>("codecArgs");
        QTest::addColumn<int>("sourceRate");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("codec");
        QTest::addColumn<int>("reportedRate");

        QTest::newRow("ogg-opus") << "tone.opus.ogg"
                                  << QStringList{"-c:a", "libopus", "-b:a", "64k", "-f", "ogg"}
                                  << 48000 << 2 << QByteArray("audio/ogg; codecs=opus")
                                  << int(AudioCodec::Opus) << 48000;
        QTest::newRow("ogg-vorbis")
            << "tone.vorbis.ogg" << QStringList{"-c:a", "libvorbis", "-q:a", "3", "-f", "ogg"}
            << 44100 << 1 << QByteArray("application/ogg") << int(AudioCodec::Vorbis) << 44100;
        QTest::newRow("mp3") << "tone.mp3"
                             << QStringList{"-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"}
                             << 44100 << 2 << QByteArray("audio/mpeg") << int(AudioCodec::Mp3)
                             << 44100;
        QTest::newRow("aac-adts") << "tone.aac"
                                  << QStringList{"-c:a", "aac", "-b:a", "96k", "-f", "adts"}
                                  << 48000 << 1 << QByteArray("audio/aacp") << int(AudioCodec::Aac)
                                  << 48000;
        QTest::newRow("webm-opus")
            << "tone.webm" << QStringList{"-c:a", "libopus", "-b:a", "64k", "-f", "webm"} << 48000
            << 1 << QByteArray("audio/webm") << int(AudioCodec::Opus) << 48000;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The junk inputs make FFmpeg's demuxers and decoders log every resync attempt.
        av_log_set_level(AV_LOG_FATAL);
    }

    // --- SourceBuffer on its own ---

    void bufferRefusesBytesBeyondItsCapacity()
    {
        SourceBuffer buffer(100);
        QVERIFY(buffer.push(QByteArray(60, 'a'), 1));
        QVERIFY(!buffer.push(QByteArray(41, 'b'), 2)); // would make 101
        QCOMPARE(buffer.buffered(), qsizetype(60));
        QVERIFY(buffer.push(QByteArray(40, 'c'), 3)); // exactly full
        QCOMPARE(buffer.buffered(), qsizetype(100));

        uint8_t out[64];
        int got = 0;
        QCOMPARE(buffer.read(out, 50, 0, &got), SourceBuffer::ReadStatus::Data);
        QCOMPARE(got, 50);
        QVERIFY(buffer.push(QByteArray(41, 'b'), 4)); // room again once read
    }

    void bufferHandsOutBytesInOrderWithTheirArrivalTime()
    {
        SourceBuffer buffer;
        QCOMPARE(buffer.lastReadArrivalNs(), qint64(0));
        QVERIFY(buffer.push("abc", 100));
        QVERIFY(buffer.push("defg", 200));
        char out[16] = {};
        int got = 0;
        QCOMPARE(buffer.read(reinterpret_cast<uint8_t *>(out), 2, 0, &got),
                 SourceBuffer::ReadStatus::Data);
        QCOMPARE(QByteArray(out, got), QByteArray("ab"));
        QCOMPARE(buffer.lastReadArrivalNs(), qint64(100));
        QCOMPARE(buffer.read(reinterpret_cast<uint8_t *>(out), 16, 0, &got),
                 SourceBuffer::ReadStatus::Data);
        QCOMPARE(QByteArray(out, got), QByteArray("cdefg"));
        QCOMPARE(buffer.lastReadArrivalNs(), qint64(200));
        QCOMPARE(buffer.buffered(), qsizetype(0));
    }

    void bufferDrainsBeforeEndAndTimesOutWhenQuiet()
    {
        SourceBuffer buffer;
        uint8_t out[16];
        int got = -1;
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(buffer.read(out, 16, 50, &got), SourceBuffer::ReadStatus::Timeout);
        QVERIFY(timer.elapsed() >= 45);
        QCOMPARE(got, 0);

        QVERIFY(buffer.push("xyz", 1));
        buffer.close();
        QVERIFY(!buffer.push("late", 2)); // nothing after the end
        QCOMPARE(buffer.read(out, 16, 1000, &got), SourceBuffer::ReadStatus::Data);
        QCOMPARE(got, 3);
        timer.restart();
        QCOMPARE(buffer.read(out, 16, 1000, &got), SourceBuffer::ReadStatus::End);
        QCOMPARE(buffer.read(out, 16, 1000, &got), SourceBuffer::ReadStatus::End);
        QVERIFY(timer.elapsed() < 500); // the end does not wait for the timeout
    }

    void bufferAbortWakesABlockedReader()
    {
        SourceBuffer buffer;
        std::atomic<qint64> returnedAtNs{0};
        SourceBuffer::ReadStatus status = SourceBuffer::ReadStatus::Data;
        std::thread reader([&] {
            int got = 0;
            uint8_t dst[4];
            status = buffer.read(dst, 4, -1, &got); // no timeout: only abort gets it out
            returnedAtNs = monotonicNs();
        });
        QThread::msleep(100);
        const qint64 abortedAtNs = monotonicNs();
        buffer.abort();
        reader.join();
        QCOMPARE(status, SourceBuffer::ReadStatus::Aborted);
        QVERIFY2(returnedAtNs - abortedAtNs < 300'000'000,
                 qPrintable(QString::number((returnedAtNs - abortedAtNs) / 1e6) + " ms"));
    }

    void bufferAbortDropsWhatIsLeft()
    {
        SourceBuffer buffer;
        QVERIFY(buffer.push("left over", 1));
        uint8_t out[4];
        int got = 0;
        QCOMPARE(buffer.read(out, 4, 0, &got), SourceBuffer::ReadStatus::Data);
        buffer.abort(); // a dropped source: the rest is not worth decoding
        QCOMPARE(buffer.read(out, 4, 0, &got), SourceBuffer::ReadStatus::Aborted);
        QCOMPARE(got, 0);
        QCOMPARE(buffer.buffered(), qsizetype(0));
        QVERIFY(!buffer.push("more", 2));
    }

    // --- every format, end to end ---

    void decodesEveryFormat_data() { addFormatRows(); }
    void decodesEveryFormat()
    {
        QFETCH(QString, fileName);
        QFETCH(QStringList, codecArgs);
        QFETCH(int, sourceRate);
        QFETCH(int, channels);
        QFETCH(QByteArray, contentType);
        QFETCH(int, codec);
        QFETCH(int, reportedRate);

        const QByteArray file = encodeTone(fileName, sourceRate, channels, codecArgs);
        QVERIFY(!file.isEmpty());
        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 20000);
        const qint64 startNs = monotonicNs();
        SourceFeeder feeder(buffer, {file});
        const Decoded decoded = demuxAndDecode(buffer, contentType);

        QVERIFY2(decoded.opened, qPrintable(decoded.error));
        qInfo("%s: %s %d Hz %d ch, %d packets, %.3f s decoded", QTest::currentDataTag(),
              qPrintable(decoded.format.codecName), decoded.format.sampleRate,
              decoded.format.channels, decoded.packets, decoded.seconds());
        QCOMPARE(int(decoded.format.codec), codec);
        QCOMPARE(decoded.format.sampleRate, reportedRate);
        QCOMPARE(decoded.format.channels, channels);
        if (decoded.format.codec == AudioCodec::Opus)
            QVERIFY(decoded.format.extradata.startsWith("OpusHead"));
        QCOMPARE(decoded.last, SourceDemuxer::Result::End);
        QCOMPARE(decoded.rejected, 0);
        QVERIFY2(qAbs(decoded.seconds() - kToneSeconds) <= 0.1,
                 qPrintable(QString::number(decoded.seconds()) + " s decoded"));
        // The container's packet durations add up to the audio (at 48 kHz).
        const double packetSeconds = double(decoded.packetSamples) / kSampleRate;
        QVERIFY2(qAbs(packetSeconds - kToneSeconds) <= 0.1,
                 qPrintable(QString::number(packetSeconds) + " s in packet durations"));

        for (int channel = 0; channel < kChannels; ++channel) {
            QVERIFY2(toneDominates(decoded.pcm, channel, 0.5, 2.5, kToneHz),
                     qPrintable(QStringLiteral("channel %1: 220 Hz %2, 440 Hz %3, 880 Hz %4")
                                    .arg(channel)
                                    .arg(toneAmplitude(decoded.pcm, channel, 0.5, 2.5, 220))
                                    .arg(toneAmplitude(decoded.pcm, channel, 0.5, 2.5, 440))
                                    .arg(toneAmplitude(decoded.pcm, channel, 0.5, 2.5, 880))));
            // A mono source plays at full level on both sides; ffmpeg's own stereo encode of
            // the mono tone is 3 dB down per channel.
            const double expected =
                channels == 1 ? kSineAmplitude : kSineAmplitude / std::numbers::sqrt2;
            const double level = toneAmplitude(decoded.pcm, channel, 0.5, 2.5, kToneHz);
            QVERIFY2(qAbs(level - expected) < 0.15 * expected,
                     qPrintable(QStringLiteral("channel %1 level %2, expected %3")
                                    .arg(channel)
                                    .arg(level)
                                    .arg(expected)));
        }
        if (channels == 1) {
            for (size_t i = 0; i < decoded.pcm.size(); i += 2)
                QCOMPARE(decoded.pcm[i], decoded.pcm[i + 1]);
        }

        QVERIFY(!decoded.captureNs.empty());
        for (size_t i = 0; i < decoded.captureNs.size(); ++i) {
            QVERIFY(decoded.captureNs[i] >= startNs);
            QVERIFY(decoded.captureNs[i] <= monotonicNs());
            if (i > 0)
                QVERIFY(decoded.captureNs[i] >= decoded.captureNs[i - 1]);
        }
    }

    // The demuxer must not sit on several seconds of a live stream before the first packet.
    void opensWithinASecondOfAudio_data() { addFormatRows(); }
    void opensWithinASecondOfAudio()
    {
        QFETCH(QString, fileName);
        QFETCH(QStringList, codecArgs);
        QFETCH(int, sourceRate);
        QFETCH(int, channels);
        QFETCH(QByteArray, contentType);
        QFETCH(int, reportedRate);

        const QByteArray file = encodeTone(fileName, sourceRate, channels, codecArgs);
        QVERIFY(!file.isEmpty());
        // The headers and about the first second of audio; the source stays open, so if open()
        // needed more it would block until the timer aborts. Ogg hands out no packet before its
        // page is complete, and ffmpeg's Ogg pages hold a second each: there, up to the end of
        // the first page that reaches one second.
        qsizetype prefix = file.size() * 2 / 5; // 1.2 s of the 3 s, headers included
        if (fileName.endsWith(".ogg")) {
            for (const OggPage &page : oggPages(file)) {
                prefix = page.offset + page.size;
                if (page.granule >= reportedRate)
                    break;
            }
        }
        const QByteArray start = file.left(prefix);
        SourceBuffer buffer;
        QVERIFY(buffer.push(start, monotonicNs()));
        AbortTimer timer(buffer, 3000);
        SourceDemuxer demuxer(buffer, contentType);
        QString error;
        QVERIFY2(demuxer.open(&error), qPrintable(error));
        QCOMPARE(timer.abortedAtNs(), qint64(0));
        const qsizetype consumed = start.size() - buffer.buffered();
        qInfo("%s: open() read %lld of the %lld bytes pushed (file: %lld bytes, %.0f s)",
              QTest::currentDataTag(), qint64(consumed), qint64(start.size()), qint64(file.size()),
              kToneSeconds);
    }

    // --- damaged, junk and unusual sources ---

    void randomBytesAreNotAnOggStream()
    {
        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 10000);
        // The source stays open: the demuxer must give up on its own.
        SourceFeeder feeder(buffer, {randomBytes(256 * 1024, 7), false});
        QElapsedTimer timer;
        timer.start();
        SourceDemuxer demuxer(buffer, "audio/ogg");
        QString error;
        QVERIFY(!demuxer.open(&error));
        QCOMPARE(error,
                 QStringLiteral("not an Ogg stream: Invalid data found when processing input"));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed()) + " ms"));
        QCOMPARE(safetyNet.abortedAtNs(), qint64(0));
    }

    void randomBytesAsMp3EndWithoutHanging()
    {
        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 10000);
        SourceFeeder feeder(buffer, {randomBytes(256 * 1024, 11)});
        QElapsedTimer timer;
        timer.start();
        const Decoded decoded = demuxAndDecode(buffer, "audio/mpeg", {}, 20);
        qInfo("random bytes as audio/mpeg: opened %d (%s), %d packets, %d rejected, %.2f s of "
              "PCM, %lld ms",
              decoded.opened, qPrintable(decoded.error), decoded.packets, decoded.rejected,
              decoded.seconds(), timer.elapsed());
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed()) + " ms"));
        QCOMPARE(safetyNet.abortedAtNs(), qint64(0));
        if (!decoded.opened)
            QVERIFY2(decoded.error.startsWith("not an MP3 stream"), qPrintable(decoded.error));
    }

    // A burst of junk between two Ogg pages (a glitch on the encoder's side) costs the audio
    // it replaced at most, not the stream.
    void junkInsideAnOggStreamIsSkipped_data()
    {
        QTest::addColumn<int>("junkBytes");
        QTest::newRow("1 KiB") << 1024;
        QTest::newRow("16 KiB") << 16 * 1024;
    }
    void junkInsideAnOggStreamIsSkipped()
    {
        QFETCH(int, junkBytes);
        const QByteArray file =
            encodeTone("junk.opus.ogg", 48000, 2, {"-c:a", "libopus", "-b:a", "64k", "-f", "ogg"});
        QVERIFY(!file.isEmpty());
        const QList<OggPage> pages = oggPages(file);
        QVERIFY(pages.size() > 4);
        const qsizetype at = pages[3].offset; // after the first second of audio
        QByteArray damaged = file.left(at) + randomBytes(junkBytes, 5) + file.mid(at);

        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 20000);
        SourceFeeder feeder(buffer, {damaged});
        const Decoded decoded = demuxAndDecode(buffer, "audio/ogg");
        QVERIFY2(decoded.opened, qPrintable(decoded.error));
        QVERIFY2(decoded.last == SourceDemuxer::Result::End, qPrintable(decoded.error));
        QVERIFY2(qAbs(decoded.seconds() - kToneSeconds) <= 0.1,
                 qPrintable(QString::number(decoded.seconds()) + " s decoded"));
        QVERIFY(toneDominates(decoded.pcm, 0, 2.1, 2.9, kToneHz));
    }

    void truncatedOggDecodesUpToTheCut()
    {
        const QByteArray file =
            encodeTone("cut.opus.ogg", 48000, 2, {"-c:a", "libopus", "-b:a", "64k", "-f", "ogg"});
        QVERIFY(!file.isEmpty());
        const QList<OggPage> pages = oggPages(file);
        QVERIFY(pages.size() > 4);
        QCOMPARE(pages.last().offset + pages.last().size, file.size());
        qsizetype cutPage = 0;
        while (pages[cutPage].offset < file.size() / 2)
            ++cutPage;
        const qsizetype cut = pages[cutPage].offset + pages[cutPage].size / 2;
        // The Opus pre-skip (OpusHead bytes 10-11, in the first page) is not audio.
        const int preSkip = qFromLittleEndian<quint16>(file.constData() + 28 + 10);
        const double expected = double(pages[cutPage - 1].granule - preSkip) / kSampleRate;

        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 20000);
        SourceFeeder feeder(buffer, {file.left(cut)});
        const Decoded decoded = demuxAndDecode(buffer, "audio/ogg");
        QVERIFY2(decoded.opened, qPrintable(decoded.error));
        QCOMPARE(decoded.last, SourceDemuxer::Result::End);
        QCOMPARE(decoded.rejected, 0);
        QVERIFY2(qAbs(decoded.seconds() - expected) < 0.025,
                 qPrintable(QStringLiteral("%1 s decoded, %2 s before the cut")
                                .arg(decoded.seconds())
                                .arg(expected)));
        QVERIFY(toneDominates(decoded.pcm, 0, 0.2, expected - 0.2, kToneHz));
    }

    // A source that restarts its encoder at another rate keeps its pitch and its speed.
    void sampleRateChangeKeepsPitchAndDuration()
    {
        const QStringList mp3{"-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"};
        const QByteArray first = encodeTone("rate44.mp3", 44100, 2, mp3);
        const QByteArray second = encodeTone("rate22.mp3", 22050, 2, mp3);
        QVERIFY(!first.isEmpty() && !second.isEmpty());

        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 20000);
        SourceFeeder feeder(buffer, {first + second});
        const Decoded decoded = demuxAndDecode(buffer, "audio/mpeg");
        QVERIFY2(decoded.opened, qPrintable(decoded.error));
        qInfo("44.1 kHz + 22.05 kHz MP3: %.3f s decoded", decoded.seconds());
        QCOMPARE(decoded.format.sampleRate, 44100);
        QCOMPARE(decoded.last, SourceDemuxer::Result::End);
        QVERIFY2(qAbs(decoded.seconds() - 2 * kToneSeconds) <= 0.15,
                 qPrintable(QString::number(decoded.seconds()) + " s decoded"));
        for (int channel = 0; channel < kChannels; ++channel) {
            QVERIFY(toneDominates(decoded.pcm, channel, 0.5, 2.5, kToneHz));
            QVERIFY2(toneDominates(decoded.pcm, channel, 3.5, 5.5, kToneHz),
                     qPrintable(QStringLiteral("after the change: 220 Hz %1, 440 Hz %2, 880 Hz %3")
                                    .arg(toneAmplitude(decoded.pcm, channel, 3.5, 5.5, 220))
                                    .arg(toneAmplitude(decoded.pcm, channel, 3.5, 5.5, 440))
                                    .arg(toneAmplitude(decoded.pcm, channel, 3.5, 5.5, 880))));
        }
    }

    // Icecast Ogg sources start a new logical stream (a chain) at every track change, with new
    // codec headers, possibly at another sample rate.
    void chainedOggKeepsPlaying_data()
    {
        QTest::addColumn<QStringList>("codecArgs");
        QTest::addColumn<int>("firstRate");
        QTest::addColumn<int>("secondRate");
        const QStringList opus{"-c:a", "libopus", "-b:a", "64k", "-f", "ogg"};
        const QStringList vorbis{"-c:a", "libvorbis", "-f", "ogg"};
        QTest::newRow("opus") << opus << 48000 << 48000;
        QTest::newRow("vorbis") << vorbis << 44100 << 44100;
        QTest::newRow("vorbis, rate change") << vorbis << 44100 << 22050;
    }
    void chainedOggKeepsPlaying()
    {
        QFETCH(QStringList, codecArgs);
        QFETCH(int, firstRate);
        QFETCH(int, secondRate);
        const QByteArray first = encodeTone("chain1.ogg", firstRate, 2, codecArgs);
        const QByteArray second = encodeTone("chain2.ogg", secondRate, 2, codecArgs);
        QVERIFY(!first.isEmpty() && !second.isEmpty());

        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 20000);
        SourceFeeder feeder(buffer, {first + second});
        const Decoded decoded = demuxAndDecode(buffer, "audio/ogg");
        QVERIFY2(decoded.opened, qPrintable(decoded.error));
        QVERIFY2(decoded.last == SourceDemuxer::Result::End, qPrintable(decoded.error));
        QCOMPARE(decoded.rejected, 0);
        QVERIFY2(qAbs(decoded.seconds() - 2 * kToneSeconds) <= 0.15,
                 qPrintable(QString::number(decoded.seconds()) + " s decoded"));
        QVERIFY(toneDominates(decoded.pcm, 0, 0.5, 2.5, kToneHz));
        QVERIFY(toneDominates(decoded.pcm, 0, 3.5, 5.5, kToneHz));
    }

    void contentTypePicksTheDemuxer()
    {
        SourceBuffer buffer;
        QVERIFY(buffer.push("ID3", 1));
        QElapsedTimer timer;
        timer.start();
        SourceDemuxer demuxer(buffer, "audio/x-flac");
        QString error;
        QVERIFY(!demuxer.open(&error));
        QCOMPARE(error, QStringLiteral("unsupported content type audio/x-flac"));
        QVERIFY(timer.elapsed() < 100); // refused before reading anything
        QCOMPARE(buffer.buffered(), qsizetype(3));
        QCOMPARE(demuxer.parameters(), nullptr);

        // An MP3 announced as Ogg is not guessed into an MP3.
        const QByteArray mp3 =
            encodeTone("wrongtype.mp3", 44100, 1, {"-c:a", "libmp3lame", "-f", "mp3"});
        SourceBuffer wrong;
        SourceFeeder feeder(wrong, {mp3});
        AbortTimer safetyNet(wrong, 10000);
        const Decoded decoded = demuxAndDecode(wrong, "audio/ogg");
        QVERIFY(!decoded.opened);
        QVERIFY2(decoded.error.startsWith("not an Ogg stream"), qPrintable(decoded.error));
    }

    void audioNextToVideoIsPicked()
    {
        const QString path = m_dir.filePath("av.ogg");
        const QByteArray file =
            runFfmpeg({"-hide_banner", "-loglevel",
                       "error",        "-nostdin",
                       "-f",           "lavfi",
                       "-i",           "color=c=black:s=64x64:d=3:r=10",
                       "-f",           "lavfi",
                       "-i",           "sine=frequency=440:duration=3:sample_rate=48000",
                       "-c:v",         "libtheora",
                       "-c:a",         "libopus",
                       "-f",           "ogg",
                       "-y",           path},
                      path);
        QVERIFY(!file.isEmpty());
        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 20000);
        SourceFeeder feeder(buffer, {file});
        const Decoded decoded = demuxAndDecode(buffer, "application/ogg");
        QVERIFY2(decoded.opened, qPrintable(decoded.error));
        QCOMPARE(decoded.format.codec, AudioCodec::Opus);
        QCOMPARE(decoded.last, SourceDemuxer::Result::End);
        QCOMPARE(decoded.rejected, 0); // no video packet reached the audio decoder
        QVERIFY2(qAbs(decoded.seconds() - kToneSeconds) <= 0.1,
                 qPrintable(QString::number(decoded.seconds()) + " s decoded"));
        QVERIFY(toneDominates(decoded.pcm, 0, 0.5, 2.5, kToneHz));
    }

    void videoOnlyStreamHasNoAudio()
    {
        const QString path = m_dir.filePath("video.ogg");
        const QByteArray file = runFfmpeg({"-hide_banner", "-loglevel", "error", "-nostdin", "-f",
                                           "lavfi", "-i", "color=c=black:s=64x64:d=1:r=10", "-c:v",
                                           "libtheora", "-f", "ogg", "-y", path},
                                          path);
        QVERIFY(!file.isEmpty());
        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 10000);
        SourceFeeder feeder(buffer, {file});
        const Decoded decoded = demuxAndDecode(buffer, "audio/ogg");
        QVERIFY(!decoded.opened);
        QCOMPARE(decoded.error, QStringLiteral("no audio stream"));
    }

    // --- the limits: inclusive, and wide enough for every real source ---

    void limitsAreInclusive()
    {
        using namespace AudioLimits;
        QVERIFY(formatViolation(8000, 1).isEmpty());
        QVERIFY(formatViolation(192000, 8).isEmpty());
        QVERIFY(formatViolation(0, 0).isEmpty()); // not known yet: the frames will tell
        QCOMPARE(formatViolation(7999, 2), QStringLiteral("sample rate 7999 Hz is outside "
                                                          "8000-192000 Hz"));
        QCOMPARE(formatViolation(192001, 2), QStringLiteral("sample rate 192001 Hz is outside "
                                                            "8000-192000 Hz"));
        QCOMPARE(formatViolation(48000, 9), QStringLiteral("9 channels: at most 8"));
        QVERIFY(frameViolation(48000, 2, 32768).isEmpty());
        QCOMPARE(frameViolation(48000, 2, 32769),
                 QStringLiteral("a frame of 32769 samples: at most 32768"));
    }

    void audioAtTheLimitsDecodes_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QStringList>("codecArgs");
        QTest::addColumn<QByteArray>("contentType");
        // ffmpeg writes FLAC frames of 16384 samples at 192 kHz.
        QTest::newRow("192 kHz 7.1 FLAC in Ogg")
            << "limits.flac.ogg" << 192000 << 8 << QStringList{"-c:a", "flac", "-f", "ogg"}
            << QByteArray("audio/ogg");
        QTest::newRow("8 kHz MP3")
            << "limits.mp3" << 8000 << 1 << QStringList{"-c:a", "libmp3lame", "-f", "mp3"}
            << QByteArray("audio/mpeg");
    }
    void audioAtTheLimitsDecodes()
    {
        QFETCH(QString, fileName);
        QFETCH(int, rate);
        QFETCH(int, channels);
        QFETCH(QStringList, codecArgs);
        QFETCH(QByteArray, contentType);
        const QByteArray file = encodeTone(fileName, rate, channels, codecArgs);
        QVERIFY(!file.isEmpty());
        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 20000);
        SourceFeeder feeder(buffer, {file});
        const Decoded decoded = demuxAndDecode(buffer, contentType);
        QVERIFY2(decoded.opened, qPrintable(decoded.error));
        QCOMPARE(decoded.format.sampleRate, rate);
        QCOMPARE(decoded.format.channels, channels);
        QVERIFY2(decoded.last == SourceDemuxer::Result::End, qPrintable(decoded.error));
        QCOMPARE(decoded.rejected, 0);
        // An 8 kHz MP3 carries 170 ms of encoder delay and padding.
        QVERIFY2(qAbs(decoded.seconds() - kToneSeconds) <= 0.25,
                 qPrintable(QString::number(decoded.seconds()) + " s decoded"));
        QVERIFY(toneDominates(decoded.pcm, 0, 0.5, 2.5, kToneHz));
    }

    void emptySourceFailsToOpen()
    {
        SourceBuffer buffer;
        buffer.close();
        SourceDemuxer demuxer(buffer, "audio/mpeg");
        QString error;
        QVERIFY(!demuxer.open(&error));
        QCOMPARE(error, QStringLiteral("the source ended before sending any data"));
    }

    // --- shutdown and stalls ---

    void abortUnblocksOpen()
    {
        SourceBuffer buffer; // the source connected but sends nothing
        int stalls = 0;
        SourceDemuxer demuxer(buffer, "audio/ogg", [&] { ++stalls; });
        AbortTimer shutdown(buffer, 250);
        QString error;
        QVERIFY(!demuxer.open(&error));
        const double latency = secondsSince(shutdown.abortedAtNs());
        QVERIFY(shutdown.abortedAtNs() != 0);
        QCOMPARE(error, QStringLiteral("aborted"));
        QVERIFY2(latency < 0.3, qPrintable(QString::number(latency * 1000) + " ms"));
        QVERIFY(stalls >= 1); // the hook ran while open() waited
    }

    void abortUnblocksRead()
    {
        const QByteArray file =
            encodeTone("abort.mp3", 44100, 2, {"-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"});
        QVERIFY(!file.isEmpty());
        SourceBuffer buffer;
        QVERIFY(buffer.push(file.left(file.size() / 2), monotonicNs())); // and then nothing
        SourceDemuxer demuxer(buffer, "audio/mpeg");
        QString error;
        QVERIFY2(demuxer.open(&error), qPrintable(error));

        AbortTimer shutdown(buffer, 400);
        DemuxedPacket packet;
        int packets = 0;
        SourceDemuxer::Result result;
        while ((result = demuxer.read(&packet, &error)) == SourceDemuxer::Result::Packet)
            ++packets;
        const double latency = secondsSince(shutdown.abortedAtNs());
        QVERIFY(shutdown.abortedAtNs() != 0);
        QCOMPARE(result, SourceDemuxer::Result::Error);
        QCOMPARE(error, QStringLiteral("aborted"));
        QVERIFY(packets > 20); // the buffered half came out before it blocked
        QVERIFY2(latency < 0.3, qPrintable(QString::number(latency * 1000) + " ms"));
    }

    void stalledSourceCallsTheHookThenContinues()
    {
        const QByteArray file =
            encodeTone("stall.opus.ogg", 48000, 2, {"-c:a", "libopus", "-b:a", "64k", "-f", "ogg"});
        QVERIFY(!file.isEmpty());
        SourceBuffer buffer;
        AbortTimer safetyNet(buffer, 20000);
        std::atomic<int> stalls{0};
        const std::thread::id pipelineThread = std::this_thread::get_id();
        bool hookOnPipelineThread = true;
        // Half the file, 500 ms of silence from the source, then the rest.
        SourceFeeder feeder(buffer, {file, true, 3, file.size() / 2, 500});
        const Decoded decoded = demuxAndDecode(buffer, "audio/ogg", [&] {
            ++stalls;
            hookOnPipelineThread =
                hookOnPipelineThread && std::this_thread::get_id() == pipelineThread;
        });

        QVERIFY2(decoded.opened, qPrintable(decoded.error));
        qInfo("500 ms stall: the hook ran %d times", int(stalls));
        QCOMPARE(decoded.last, SourceDemuxer::Result::End);
        QVERIFY2(stalls >= 3 && stalls <= 6, qPrintable(QString::number(stalls) + " stall calls"));
        QVERIFY(hookOnPipelineThread);
        QVERIFY2(qAbs(decoded.seconds() - kToneSeconds) <= 0.1,
                 qPrintable(QString::number(decoded.seconds()) + " s decoded"));
        QVERIFY(toneDominates(decoded.pcm, 0, 0.5, 2.5, kToneHz));
        // The packets after the gap carry the later arrival time.
        qint64 longestGapNs = 0;
        for (size_t i = 1; i < decoded.captureNs.size(); ++i)
            longestGapNs = qMax(longestGapNs, decoded.captureNs[i] - decoded.captureNs[i - 1]);
        QVERIFY2(longestGapNs >= 400'000'000,
                 qPrintable(QString::number(longestGapNs / 1e6) + " ms"));
    }

    // --- the decoder on its own ---

    void decoderSurvivesABadPacket()
    {
        const QByteArray file =
            encodeTone("bad.mp3", 44100, 1, {"-c:a", "libmp3lame", "-b:a", "96k", "-f", "mp3"});
        QVERIFY(!file.isEmpty());
        SourceBuffer buffer;
        QVERIFY(buffer.push(file, monotonicNs()));
        buffer.close();
        SourceDemuxer demuxer(buffer, "audio/mpeg");
        QString error;
        QVERIFY2(demuxer.open(&error), qPrintable(error));
        AudioDecoder decoder(demuxer.parameters());
        QVERIFY2(decoder.isValid(), qPrintable(decoder.error()));

        PcmBlock pcm;
        DemuxedPacket packet;
        int packets = 0;
        while (demuxer.read(&packet, &error) == SourceDemuxer::Result::Packet) {
            if (++packets == 40) {
                DemuxedPacket junk{QByteArray(300, '\x11'), 0, packet.captureNs};
                QVERIFY(!decoder.decode(junk, &pcm, &error));
                QVERIFY(!error.isEmpty());
                QCOMPARE(decoder.consecutiveErrors(), 1);
                QVERIFY(!decoder.decode(junk, &pcm, &error));
                QCOMPARE(decoder.consecutiveErrors(), 2);
            }
            QVERIFY2(decoder.decode(packet, &pcm, &error), qPrintable(error));
            QCOMPARE(decoder.consecutiveErrors(), 0);
        }
        QVERIFY(packets > 40);
        const double seconds = double(pcm.frames()) / kSampleRate;
        QVERIFY2(qAbs(seconds - kToneSeconds) <= 0.1, qPrintable(QString::number(seconds)));
        QVERIFY(toneDominates(pcm.samples, 0, 0.5, 2.5, kToneHz));
    }

    void decoderWithoutParametersIsInvalid()
    {
        AudioDecoder decoder(nullptr);
        QVERIFY(!decoder.isValid());
        QVERIFY(!decoder.error().isEmpty());
        PcmBlock pcm;
        QString error;
        QVERIFY(!decoder.decode({QByteArray("x"), 0, 1}, &pcm, &error));
        QVERIFY(pcm.samples.empty());
    }

    // The pitch check itself: it must tell 440 Hz from the octave a wrong rate would give.
    void toneMeterTellsOctavesApart()
    {
        std::vector<float> tone(size_t(kSampleRate) * kChannels);
        for (size_t i = 0; i < tone.size(); ++i)
            tone[i] =
                float(0.1 * std::sin(2 * std::numbers::pi * 880.0 * double(i / 2) / kSampleRate));
        QVERIFY(!toneDominates(tone, 0, 0, 1, 440));
        QVERIFY(toneDominates(tone, 0, 0, 1, 880));
        QVERIFY(qAbs(toneAmplitude(tone, 0, 0, 1, 880) - 0.1) < 0.001);
    }
};

QTEST_GUILESS_MAIN(TestSourceInput)
#include "tst_sourceinput.moc"
