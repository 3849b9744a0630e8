// Decoded audio is bounded, against the real binary while a good stream plays: sources crafted to
// break each rule (a sample rate outside 8-192 kHz, more than 8 channels, frames of more than
// 32768 samples, a codec the server does not take, a packet that never ends) are dropped with a
// log line naming the rule; a cover picture or a video track is ignored, not decoded; a container
// lying about its packets' durations does not change the pace of the audio. Meanwhile the other
// stream's listener keeps receiving audio and the server's memory stays bounded.
#include "CraftedSources.h"
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <sys/socket.h>
#include <thread>

using namespace veza::testing;

namespace {

constexpr double kMp3BytesPerSecond = 128000 / 8.0; // the listeners' renditions: DEFAULT_BITRATE
// Growth of the server's peak resident memory the whole test may cause: a few pipelines and
// their encoders (about 15 MiB). Decoding one 8192x8192 cover picture alone would take 200 MB.
constexpr qint64 kMaxGrowthKiB = 64 * 1024;

// A field of /proc/PID/status in KiB (VmRSS: resident now, VmHWM: the peak so far).
qint64 statusKiB(qint64 pid, const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// A listener of /live/{name} reading on its own thread for as long as it lives, counting bytes.
class BackgroundListener
{
public:
    BackgroundListener(quint16 port, const QString &path)
        : m_client(port)
    {
        m_client.send("GET " + path.toUtf8() + " HTTP/1.1\r\nHost: x\r\n\r\n");
        m_thread = std::thread([this] {
            while (!m_stop) {
                const QByteArray data = m_client.read(100);
                m_bytes += data.size();
            }
        });
    }
    ~BackgroundListener()
    {
        m_stop = true;
        m_thread.join();
    }
    qint64 bytes() const { return m_bytes; }

private:
    RawClient m_client;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_bytes{0};
    std::thread m_thread;
};

// An Icecast source written by hand: PUT with a Content-Type, then the bytes from a thread (the
// send blocks while the server paces it), until they are all sent or the server hangs up.
class RawSource
{
public:
    RawSource(quint16 port, const QString &name, const QByteArray &key,
              const QByteArray &contentType)
        : m_client(port)
    {
        m_client.send("PUT /live/" + name.toUtf8() + " HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                      contentType + "\r\n" + sourceAuth(key) + "\r\n");
        m_accepted = m_client.read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.0 200 OK");
    }
    ~RawSource()
    {
        ::shutdown(m_client.descriptor(), SHUT_RDWR); // ends a send still blocked
        if (m_thread.joinable())
            m_thread.join();
    }
    bool accepted() const { return m_accepted; }

    // `chunkBytes` every `intervalMs` (0: all at once).
    void send(QByteArray bytes, qsizetype chunkBytes = 64 * 1024, int intervalMs = 0)
    {
        m_thread = std::thread([this, bytes = std::move(bytes), chunkBytes, intervalMs] {
            for (qsizetype pos = 0; pos < bytes.size(); pos += chunkBytes) {
                if (!m_client.send(bytes.mid(pos, chunkBytes)))
                    return;
                m_sent += qMin(chunkBytes, bytes.size() - pos);
                if (intervalMs > 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(intervalMs));
            }
        });
    }
    qint64 sent() const { return m_sent; }
    bool waitForClose(int timeoutMs) { return m_client.waitForClose(timeoutMs); }

private:
    RawClient m_client;
    bool m_accepted = false;
    std::atomic<qint64> m_sent{0};
    std::thread m_thread;
};

} // namespace

class TestSourceBounds : public QObject
{
    Q_OBJECT

private:
    QString file(const QString &name) const { return m_dir.filePath(name); }

    double failures(const QString &reason)
    {
        return qMax(0.0,
                    scrapeMetric(m_server->metricsPort(), "stream_source_failures_total{reason=\"" +
                                                              reason.toUtf8() + "\"}"));
    }

    QByteArray newStream(const QString &name) { return createStream(*m_server, m_token, name); }

    // A tone of `seconds` at `rate` Hz with `channels`, through ffmpeg's `codecArguments`.
    QByteArray tone(const QString &fileName, int rate, int channels, double seconds,
                    const QStringList &codecArguments)
    {
        return ffmpegFile(QStringList{"-f", "lavfi", "-i",
                                      QStringLiteral("sine=frequency=440:sample_rate=%1:"
                                                     "duration=%2")
                                          .arg(rate)
                                          .arg(seconds),
                                      "-ac", QString::number(channels)} +
                              codecArguments,
                          file(fileName));
    }

    // The good stream never noticed: its listener got audio at about its rate meanwhile.
    bool steadyStreamPlayedSince(qint64 bytesBefore, const QElapsedTimer &since, QString *why)
    {
        const double seconds = since.elapsed() / 1000.0;
        const qint64 received = m_steady->bytes() - bytesBefore;
        *why = QStringLiteral("the steady stream's listener got %1 bytes in %2 s")
                   .arg(received)
                   .arg(seconds);
        return received > (seconds - 2) * kMp3BytesPerSecond * 0.7;
    }

    bool memoryBounded(QString *why)
    {
        const qint64 peak = statusKiB(m_server->processId(), "VmHWM");
        qInfo("server memory: %lld KiB resident, peak %lld KiB (%lld KiB at the start)",
              statusKiB(m_server->processId(), "VmRSS"), peak, m_baselineKiB);
        *why = QStringLiteral("peak resident memory grew by %1 MiB")
                   .arg((peak - m_baselineKiB) / 1024);
        return peak - m_baselineKiB < kMaxGrowthKiB;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame and ffprobe are needed");
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("0"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_token = m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        const QByteArray steadyKey = newStream(QStringLiteral("steady"));
        QVERIFY(!steadyKey.isEmpty());
        m_steadySource =
            startTool(QStringLiteral("ffmpeg"), ffmpegSineSource(m_server->httpPort(), steadyKey,
                                                                 QStringLiteral("steady"), 900));
        QVERIFY(waitForStreamState(*m_server, m_token, QStringLiteral("steady"),
                                   QStringLiteral("live"), 10000));
        m_steady = std::make_unique<BackgroundListener>(m_server->httpPort(),
                                                        QStringLiteral("/live/steady"));
        QTRY_VERIFY_WITH_TIMEOUT(m_steady->bytes() > 32 * 1024, 10000);
        m_baselineKiB = statusKiB(m_server->processId(), "VmHWM");
        QVERIFY(m_baselineKiB > 0);
    }

    void cleanupTestCase()
    {
        m_steady.reset();
        if (m_steadySource) {
            m_steadySource->kill();
            m_steadySource->waitForFinished(5000);
        }
        m_server.reset();
    }

    void sourceBeyondTheRulesIsDropped_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QStringList>("codecArguments");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("log");

        const QStringList oggFlac{"-c:a", "flac", "-f", "ogg"};
        QTest::newRow("4 kHz FLAC")
            << "lowrate" << 4000 << 1 << oggFlac << QByteArray("audio/ogg") << "out_of_limits"
            << "sample rate 4000 Hz is outside 8000-192000 Hz";
        QTest::newRow("7350 Hz AAC")
            << "aaclowrate" << 7350 << 1 << QStringList{"-c:a", "aac", "-f", "adts"}
            << QByteArray("audio/aac") << "out_of_limits"
            << "sample rate 7350 Hz is outside 8000-192000 Hz";
        QTest::newRow("384 kHz FLAC")
            << "highrate" << 384000 << 1 << oggFlac << QByteArray("audio/ogg") << "out_of_limits"
            << "sample rate 384000 Hz is outside 8000-192000 Hz";
        QTest::newRow("16-channel Opus")
            << "manychannels" << 48000 << 16
            << QStringList{"-c:a", "libopus", "-mapping_family", "255", "-f", "ogg"}
            << QByteArray("audio/ogg") << "out_of_limits"
            << "16 channels: at most 8";
        QTest::newRow("FLAC frames of 65535 samples")
            << "longframes" << 48000 << 1
            << QStringList{"-c:a", "flac", "-frame_size", "65535", "-f", "ogg"}
            << QByteArray("audio/ogg") << "out_of_limits"
            << "a frame of 65535 samples: at most 32768";
        QTest::newRow("Speex in Ogg")
            << "speex" << 32000 << 1 << QStringList{"-c:a", "libspeex", "-f", "ogg"}
            << QByteArray("audio/ogg") << "unsupported_codec"
            << "unsupported codec speex: sources send Opus, Vorbis, MP3, AAC and FLAC";
        QTest::newRow("PCM in Matroska")
            << "pcm" << 48000 << 2 << QStringList{"-c:a", "pcm_s16le", "-f", "matroska"}
            << QByteArray("audio/webm") << "unsupported_codec"
            << "unsupported codec pcm_s16le: sources send Opus, Vorbis, MP3, AAC and FLAC";
    }
    void sourceBeyondTheRulesIsDropped()
    {
        QFETCH(QString, name);
        QFETCH(int, rate);
        QFETCH(int, channels);
        QFETCH(QStringList, codecArguments);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, reason);
        QFETCH(QString, log);

        const QByteArray bytes = tone(name, rate, channels, 4, codecArguments);
        QVERIFY(!bytes.isEmpty());
        const QByteArray key = newStream(name);
        const double failuresBefore = failures(reason);
        const qint64 steadyBefore = m_steady->bytes();
        QElapsedTimer elapsed;
        elapsed.start();

        RawSource source(m_server->httpPort(), name, key, contentType);
        QVERIFY(source.accepted());
        source.send(bytes);
        QVERIFY2(source.waitForClose(10000), "the source is disconnected");
        const QString expected = QStringLiteral("source of %1 dropped: %2").arg(name, log);
        QTRY_VERIFY2_WITH_TIMEOUT(!m_server->findLog(expected).isEmpty(), qPrintable(expected),
                                  3000);
        QCOMPARE(failures(reason), failuresBefore + 1);
        QVERIFY(waitForStreamState(*m_server, m_token, name, QStringLiteral("offline"), 5000));
        QString why;
        QVERIFY2(steadyStreamPlayedSince(steadyBefore, elapsed, &why), qPrintable(why));
        QVERIFY2(memoryBounded(&why), qPrintable(why));
    }

    // A packet that never ends would be buffered whole by the demuxer: the source is dropped
    // after 2 MiB of it.
    void endlessPacketIsDropped()
    {
        const QByteArray opus =
            tone(QStringLiteral("start.opus"), 48000, 2, 1, {"-c:a", "libopus", "-f", "ogg"});
        const QByteArray bytes = endlessOggPacket(opus, 32 * 1024 * 1024);
        QVERIFY(bytes.size() >= 32 * 1024 * 1024);
        const QString name = QStringLiteral("endless");
        const QByteArray key = newStream(name);
        const double failuresBefore = failures(QStringLiteral("out_of_limits"));
        const qint64 steadyBefore = m_steady->bytes();
        QElapsedTimer elapsed;
        elapsed.start();

        RawSource source(m_server->httpPort(), name, key, "audio/ogg");
        QVERIFY(source.accepted());
        source.send(bytes, 256 * 1024, 50); // 5 MiB/s, within the 8 MiB a second allowed
        QVERIFY2(
            source.waitForClose(15000),
            qPrintable(QStringLiteral("still connected after %1 MiB").arg(source.sent() >> 20)));
        QVERIFY2(source.sent() < 12 * 1024 * 1024,
                 qPrintable(QStringLiteral("dropped after %1 MiB").arg(source.sent() >> 20)));
        const QString expected =
            QStringLiteral("source of endless dropped: no audio packet within 2 MiB");
        QTRY_VERIFY2_WITH_TIMEOUT(!m_server->findLog(expected).isEmpty(), qPrintable(expected),
                                  3000);
        QCOMPARE(failures(QStringLiteral("out_of_limits")), failuresBefore + 1);
        QString why;
        QVERIFY2(steadyStreamPlayedSince(steadyBefore, elapsed, &why), qPrintable(why));
        QVERIFY2(memoryBounded(&why), qPrintable(why));
    }

    // Streams next to the audio are skipped without being decoded: the audio plays.
    void otherStreamsAreIgnored_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("ignored");

        // An 8192x8192 picture: 220 kB as PNG, 200 MB decoded.
        const QStringList picture{"-f", "lavfi", "-i", "color=c=gray:s=8192x8192:d=1"};
        const QStringList audio{"-f", "lavfi", "-i",
                                "sine=frequency=440:sample_rate=44100:duration=8"};
        QTest::newRow("MP3 with a huge cover picture")
            << "cover" << audio + picture + QStringList{"-map",
                                                        "0",
                                                        "-map",
                                                        "1",
                                                        "-frames:v",
                                                        "1",
                                                        "-c:a",
                                                        "libmp3lame",
                                                        "-c:v",
                                                        "png",
                                                        "-pix_fmt",
                                                        "rgb24",
                                                        "-id3v2_version",
                                                        "3",
                                                        "-disposition:v",
                                                        "attached_pic",
                                                        "-f",
                                                        "mp3"}
            << QByteArray("audio/mpeg") << "video (png)";
        QTest::newRow("Matroska with a video track")
            << "video"
            << audio + QStringList{"-f",       "lavfi", "-i",   "color=c=gray:s=8192x8192:d=8:r=1",
                                   "-c:a",     "aac",   "-c:v", "png",
                                   "-pix_fmt", "rgb24", "-f",   "matroska"}
            << QByteArray("audio/webm") << "video (png)";
    }
    void otherStreamsAreIgnored()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, ignored);

        const QByteArray bytes = ffmpegFile(arguments, file(name));
        QVERIFY(!bytes.isEmpty());
        const QByteArray key = newStream(name);
        RawSource source(m_server->httpPort(), name, key, contentType);
        QVERIFY(source.accepted());
        source.send(bytes); // paced by the server to real time
        const QByteArray pcm = decodeToPcm(
            QStringLiteral("http://127.0.0.1:%1/live/%2.mp3").arg(m_server->httpPort()).arg(name),
            3);
        QVERIFY2(is440Hz(pcm), qPrintable(QStringLiteral("%1 bytes of PCM").arg(pcm.size())));
        QString why;
        QVERIFY2(memoryBounded(&why), qPrintable(why));
        const QString expected =
            QStringLiteral("source of %1 also sends, ignored: %2").arg(name, ignored);
        QTRY_VERIFY2_WITH_TIMEOUT(!m_server->findLog(expected).isEmpty(), qPrintable(expected),
                                  5000);
        QVERIFY(m_server->findLog(QStringLiteral("source of %1 dropped").arg(name)).isEmpty());
    }

    // AAC in Matroska takes its packets' durations from the container, which may claim
    // anything: the audio is timed by its decoded samples all the same. Both sources send the
    // whole file at once, as fast as the server reads.
    void pacingFollowsTheDecodedSamples_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("claimedMs");
        // Paced by the claim, the stream would stall: 2 s ahead after the first packet.
        QTest::newRow("blocks claiming 10 s") << "slowclaim" << 10000;
        // Paced by the claim, 40 s of audio would reach listeners in a second.
        QTest::newRow("blocks claiming 1 ms") << "fastclaim" << 1;
    }
    void pacingFollowsTheDecodedSamples()
    {
        QFETCH(QString, name);
        QFETCH(int, claimedMs);

        const QByteArray matroska = tone(name + QStringLiteral(".mkv"), 48000, 2, 40,
                                         {"-c:a", "aac", "-b:a", "128k", "-f", "matroska"});
        QVERIFY(!matroska.isEmpty());
        const QByteArray crafted = withBlockDurations(matroska, quint64(claimedMs));
        QVERIFY(crafted.size() > matroska.size());
        const QByteArray key = newStream(name);
        RawSource source(m_server->httpPort(), name, key, "audio/webm");
        QVERIFY(source.accepted());
        BackgroundListener listener(m_server->httpPort(), QStringLiteral("/live/%1.mp3").arg(name));
        QElapsedTimer elapsed;
        elapsed.start();
        source.send(crafted);

        const QByteArray pcm = decodeToPcm(
            QStringLiteral("http://127.0.0.1:%1/live/%2.mp3").arg(m_server->httpPort()).arg(name),
            4);
        QVERIFY2(pcm.size() >= 4 * 8000 * 2 * 9 / 10,
                 qPrintable(QStringLiteral("%1 bytes of PCM in 4 s").arg(pcm.size())));
        QVERIFY(is440Hz(pcm));
        QTest::qWait(qMax<qint64>(0, 8000 - elapsed.elapsed()));
        // Real time, give or take the burst a listener starts with and the 2 s allowed ahead.
        const double seconds = elapsed.elapsed() / 1000.0;
        QVERIFY2(listener.bytes() < (seconds + 5) * kMp3BytesPerSecond,
                 qPrintable(QStringLiteral("%1 bytes in %2 s").arg(listener.bytes()).arg(seconds)));
        QVERIFY2(listener.bytes() > (seconds - 3) * kMp3BytesPerSecond * 0.8,
                 qPrintable(QStringLiteral("%1 bytes in %2 s").arg(listener.bytes()).arg(seconds)));
        QVERIFY(m_server->findLog(QStringLiteral("source of %1 dropped").arg(name)).isEmpty());
        QString why;
        QVERIFY2(memoryBounded(&why), qPrintable(why));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_token;
    std::unique_ptr<QProcess> m_steadySource;
    std::unique_ptr<BackgroundListener> m_steady;
    qint64 m_baselineKiB = 0;
};

QTEST_GUILESS_MAIN(TestSourceBounds)
#include "tst_source_bounds.moc"
