// The audio pipeline against the real binary with the real ffmpeg and ffprobe: Ogg/Opus,
// WebM/Opus, Ogg/Vorbis and ADTS sources are heard as Ogg/Opus, also when ffmpeg announces
// them with its default audio/mpeg; every rendition (.opus with
// ?bitrate=, .mp3, .aac, and /live/{name} of an Ogg source) is read by ffprobe with the right
// codec, sample rate and duration and decodes to 440 Hz; a source that already matches is
// passed through until an effect is switched on; effects change the audio live and are
// validated; a source sending garbage is dropped while another stream keeps playing.
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace veza::testing;

namespace {

const QStringList kOpus128{QStringLiteral("-c:a"), QStringLiteral("libopus"),
                           QStringLiteral("-b:a"), QStringLiteral("128k")};

// The largest absolute sample of 16-bit PCM.
int peakOf(QByteArrayView s16le)
{
    const auto *samples = reinterpret_cast<const qint16 *>(s16le.data());
    int peak = 0;
    for (qsizetype i = 0; i < s16le.size() / 2; ++i)
        peak = std::max(peak, std::abs(int(samples[i])));
    return peak;
}

} // namespace

class TestTranscode : public QObject
{
    Q_OBJECT

private:
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1/live/%2").arg(m_server->httpPort()).arg(path);
    }

    // Starts ffmpeg publishing a tone to a new stream `name`; waits until it is live.
    std::unique_ptr<QProcess> publish(const QString &name, int seconds,
                                      const QStringList &codecArguments, const QString &contentType,
                                      const QString &muxer)
    {
        const QByteArray key =
            m_keys.contains(name) ? m_keys.value(name) : createStream(*m_server, m_token, name);
        if (key.isEmpty())
            return nullptr;
        m_keys.insert(name, key);
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegToneSource(m_server->httpPort(), key, name, seconds,
                                                 codecArguments, contentType, muxer),
                                true);
        if (!waitForStreamState(*m_server, m_token, name, QStringLiteral("live"), 5000))
            return nullptr;
        return source;
    }

    QJsonObject audioOf(const QString &name)
    {
        return streamInfo(*m_server, m_token, name).value(QStringLiteral("audio")).toObject();
    }

    QString modeOf(const QString &name, const QString &rendition)
    {
        const QJsonArray renditions = audioOf(name).value(QStringLiteral("renditions")).toArray();
        for (const QJsonValue &value : renditions) {
            if (value.toObject().value(QStringLiteral("name")).toString() == rendition)
                return value.toObject().value(QStringLiteral("mode")).toString();
        }
        return {};
    }

    HttpReply patchEffects(const QString &name, const QByteArray &body,
                           const QByteArray &token = {})
    {
        HttpProbe probe(m_server->httpPort());
        return probe.request("PATCH", "/api/streams/" + name.toUtf8() + "/effects", body, 5000,
                             "Authorization: Bearer " + (token.isEmpty() ? m_token : token) +
                                 "\r\nContent-Type: application/json\r\n");
    }

    // Records `seconds` of `path` unchanged, then checks what ffprobe and the decoder find.
    void checkRecording(const QString &path, const QString &codec, const QString &sampleRate,
                        double seconds)
    {
        const QString file = m_dir.filePath(
            QString(path).replace(QRegularExpression("[^a-z0-9]"), QStringLiteral("_")) +
            (codec == QStringLiteral("opus") ? QStringLiteral(".ogg") : "." + codec));
        QVERIFY2(recordStream(url(path), seconds, file), qPrintable(path));
        const QJsonObject probed = probeAudio(file);
        QCOMPARE(probed.value(QStringLiteral("codec_name")).toString(), codec);
        QCOMPARE(probed.value(QStringLiteral("sample_rate")).toString(), sampleRate);
        const double duration = probed.value(QStringLiteral("duration")).toDouble();
        QVERIFY2(std::abs(duration - seconds) < 0.5,
                 qPrintable(QStringLiteral("%1: %2 s").arg(path).arg(duration)));
        QVERIFY2(is440Hz(decodeToPcm(file, seconds)), qPrintable(path));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame and ffprobe are needed");
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("3"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_token = m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
    }

    void cleanupTestCase() { m_server.reset(); }

    void sourceFormatsAreHeardAsOpus_data()
    {
        QTest::addColumn<QStringList>("codecArguments");
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("muxer");
        QTest::addColumn<QString>("inputCodec");
        QTest::newRow("ogg-opus") << kOpus128 << "audio/ogg"
                                  << "ogg"
                                  << "opus";
        QTest::newRow("webm-opus") << QStringList{"-c:a", "libopus", "-b:a", "96k"} << "audio/webm"
                                   << "webm"
                                   << "opus";
        QTest::newRow("ogg-vorbis") << QStringList{"-c:a", "libvorbis", "-q:a", "4"} << "audio/ogg"
                                    << "ogg"
                                    << "vorbis";
        QTest::newRow("adts-aac") << QStringList{"-c:a", "aac", "-b:a", "128k"} << "audio/aac"
                                  << "adts"
                                  << "aac";
    }

    void sourceFormatsAreHeardAsOpus()
    {
        QFETCH(QStringList, codecArguments);
        QFETCH(QString, contentType);
        QFETCH(QString, muxer);
        QFETCH(QString, inputCodec);
        const QString name = QStringLiteral("fmt-") + QTest::currentDataTag();
        auto source = publish(name, 10, codecArguments, contentType, muxer);
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        checkRecording(name + QStringLiteral(".opus"), QStringLiteral("opus"),
                       QStringLiteral("48000"), 3);
        const QJsonObject input = audioOf(name).value(QStringLiteral("input")).toObject();
        QCOMPARE(input.value(QStringLiteral("codec")).toString(), inputCodec);
        source->kill();
        source->waitForFinished(5000);
    }

    // The command anyone copies has no -content_type: ffmpeg 5.1 then announces audio/mpeg for
    // any container. The server goes by the bytes, says so once in the log, and every path of
    // the stream plays the tone.
    void ffmpegsDefaultContentTypeIsTrusted_data()
    {
        QTest::addColumn<QStringList>("codecArguments");
        QTest::addColumn<QString>("muxer");
        QTest::addColumn<QString>("ownCodec");     // what /live/{name} serves
        QTest::addColumn<QByteArray>("ownType");   // and its Content-Type
        QTest::addColumn<QString>("detectedType"); // in the warning, empty: no warning
        QTest::newRow("ogg-opus") << kOpus128 << "ogg"
                                  << "opus" << QByteArray("audio/ogg") << "audio/ogg";
        QTest::newRow("mp3") << QStringList{"-c:a", "libmp3lame", "-b:a", "128k"} << "mp3"
                             << "mp3" << QByteArray("audio/mpeg") << QString();
        QTest::newRow("adts-aac") << QStringList{"-c:a", "aac", "-b:a", "128k"} << "adts"
                                  << "aac" << QByteArray("audio/aac") << "audio/aac";
    }

    void ffmpegsDefaultContentTypeIsTrusted()
    {
        QFETCH(QStringList, codecArguments);
        QFETCH(QString, muxer);
        QFETCH(QString, ownCodec);
        QFETCH(QByteArray, ownType);
        QFETCH(QString, detectedType);
        const QString name = QStringLiteral("default-") + QTest::currentDataTag();
        auto source = publish(name, 12, codecArguments, QString(), muxer);
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        // Live from the source's acceptance; its type is settled by its first bytes (ffmpeg
        // may take seconds to start on a loaded machine).
        QTRY_COMPARE_WITH_TIMEOUT(audioOf(name)
                                      .value(QStringLiteral("input"))
                                      .toObject()
                                      .value(QStringLiteral("content_type"))
                                      .toString()
                                      .toUtf8(),
                                  ownType, 15000);

        HttpProbe probe(m_server->httpPort());
        const HttpReply head = probe.request("HEAD", "/live/" + name.toUtf8(), {}, 5000);
        QCOMPARE(head.status, 200);
        QVERIFY2(head.headers.contains(QByteArray("Content-Type: " + ownType + "\r\n")),
                 head.headers.constData());

        const struct
        {
            QString path;
            QString codec;
        } wanted[] = {{name, ownCodec},
                      {name + QStringLiteral(".opus"), QStringLiteral("opus")},
                      {name + QStringLiteral(".mp3"), QStringLiteral("mp3")},
                      {name + QStringLiteral(".aac"), QStringLiteral("aac")}};
        std::vector<std::unique_ptr<QProcess>> recorders;
        QStringList files;
        for (const auto &listen : wanted) {
            files << m_dir.filePath(QStringLiteral("%1-%2.%3")
                                        .arg(name)
                                        .arg(recorders.size())
                                        .arg(listen.codec == "opus" ? "ogg" : listen.codec));
            recorders.push_back(
                startTool(QStringLiteral("ffmpeg"),
                          {"-hide_banner", "-loglevel", "error", "-y", "-i", url(listen.path), "-t",
                           "3", "-c", "copy", files.back()}));
        }
        for (size_t i = 0; i < recorders.size(); ++i) {
            QVERIFY(recorders[i]->waitForFinished(15000));
            QCOMPARE(recorders[i]->exitCode(), 0);
            QCOMPARE(probeAudio(files[int(i)]).value(QStringLiteral("codec_name")).toString(),
                     wanted[i].codec);
            QVERIFY2(is440Hz(decodeToPcm(files[int(i)], 3)), qPrintable(wanted[i].path));
        }
        // The log line is read from the server's stdout as the event loop runs.
        const QString announced = QStringLiteral("source of %1 announced").arg(name);
        QTest::qWait(200);
        if (detectedType.isEmpty()) {
            QVERIFY(m_server->findLog(announced).isEmpty());
        } else {
            QTRY_VERIFY(!m_server->findLog(announced).isEmpty());
            const QString message =
                m_server->findLog(announced).value(QStringLiteral("message")).toString();
            QVERIFY2(message.contains(QStringLiteral("Content-Type audio/mpeg but sends ") +
                                      detectedType),
                     qPrintable(message));
        }
        source->kill();
        source->waitForFinished(5000);
    }

    void everyRenditionPlays_data()
    {
        QTest::addColumn<QStringList>("codecArguments");
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("muxer");
        QTest::newRow("ogg-opus") << kOpus128 << "audio/ogg"
                                  << "ogg";
        QTest::newRow("mp3") << QStringList{"-c:a", "libmp3lame", "-b:a", "128k"} << "audio/mpeg"
                             << "mp3";
    }

    void everyRenditionPlays()
    {
        QFETCH(QStringList, codecArguments);
        QFETCH(QString, contentType);
        QFETCH(QString, muxer);
        const QString name = QStringLiteral("ladder-") + QTest::currentDataTag();
        auto source = publish(name, 14, codecArguments, contentType, muxer);
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        // Four listeners at once, as a player would open them.
        const struct
        {
            QString path;
            QString codec;
        } wanted[] = {
            {name + QStringLiteral(".opus?bitrate=64"), QStringLiteral("opus")},
            {name + QStringLiteral(".mp3"), QStringLiteral("mp3")},
            {name + QStringLiteral(".aac"), QStringLiteral("aac")},
            // An Ogg source's own URL serves the default Opus rendition.
            {contentType == QLatin1String("audio/ogg") ? name : name + QStringLiteral(".opus"),
             QStringLiteral("opus")}};
        std::vector<std::unique_ptr<QProcess>> recorders;
        for (const auto &listen : wanted) {
            const QString file =
                m_dir.filePath(QStringLiteral("all-%1.%2")
                                   .arg(recorders.size())
                                   .arg(listen.codec == "opus" ? "ogg" : listen.codec));
            recorders.push_back(startTool(QStringLiteral("ffmpeg"),
                                          {"-hide_banner", "-loglevel", "error", "-y", "-i",
                                           url(listen.path), "-t", "4", "-c", "copy", file}));
        }
        QTest::qWait(2000);
        QCOMPARE(modeOf(name, QStringLiteral("opus64")), QStringLiteral("transcode"));
        QCOMPARE(modeOf(name, QStringLiteral("opus32")), QStringLiteral("idle")); // lazy
        QVERIFY(streamInfo(*m_server, m_token, name).value(QStringLiteral("listeners")).toInt() >=
                4);
        for (size_t i = 0; i < recorders.size(); ++i) {
            QVERIFY(recorders[i]->waitForFinished(15000));
            QCOMPARE(recorders[i]->exitCode(), 0);
            const QString file =
                m_dir.filePath(QStringLiteral("all-%1.%2")
                                   .arg(i)
                                   .arg(wanted[i].codec == "opus" ? "ogg" : wanted[i].codec));
            const QJsonObject probed = probeAudio(file);
            QCOMPARE(probed.value(QStringLiteral("codec_name")).toString(), wanted[i].codec);
            QCOMPARE(probed.value(QStringLiteral("sample_rate")).toString(),
                     QStringLiteral("48000"));
            const double duration = probed.value(QStringLiteral("duration")).toDouble();
            QVERIFY2(std::abs(duration - 4) < 0.5,
                     qPrintable(wanted[i].path + QStringLiteral(": %1 s").arg(duration)));
            QVERIFY2(is440Hz(decodeToPcm(file, 4)), qPrintable(wanted[i].path));
        }
        QVERIFY(m_server->findLog(QStringLiteral("encoder behind")).isEmpty());
        source->kill();
        source->waitForFinished(5000);
    }

    void matchingSourceIsPassedThroughUntilAnEffectIsOn()
    {
        const QString name = QStringLiteral("mp3src");
        const QByteArray key = createStream(*m_server, m_token, name);
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(m_server->httpPort(), key, name, 14), true);
        QVERIFY(waitForStreamState(*m_server, m_token, name, QStringLiteral("live"), 5000));
        // The source is MP3 at 128 kbit/s, 44.1 kHz: .mp3 listeners get its own frames.
        const QString file = m_dir.filePath(QStringLiteral("passed.mp3"));
        auto recorder = startTool(QStringLiteral("ffmpeg"),
                                  {"-hide_banner", "-loglevel", "error", "-y", "-i",
                                   url(name + ".mp3"), "-t", "3", "-c", "copy", file});
        QTest::qWait(2000);
        QCOMPARE(modeOf(name, QStringLiteral("mp3")), QStringLiteral("passthrough"));
        QVERIFY(recorder->waitForFinished(15000));
        const QJsonObject probed = probeAudio(file);
        QCOMPARE(probed.value(QStringLiteral("codec_name")).toString(), QStringLiteral("mp3"));
        QCOMPARE(probed.value(QStringLiteral("sample_rate")).toString(), QStringLiteral("44100"));
        QVERIFY(is440Hz(decodeToPcm(file, 3)));

        // With an effect on, the audio must be re-encoded.
        auto listener =
            startTool(QStringLiteral("ffmpeg"), {"-hide_banner", "-loglevel", "error", "-i",
                                                 url(name + ".mp3"), "-t", "4", "-f", "null", "-"});
        QTest::qWait(1000);
        QCOMPARE(patchEffects(name, R"({"gain_db": -6})").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(modeOf(name, QStringLiteral("mp3")), QStringLiteral("transcode"),
                                  1000);
        listener->waitForFinished(15000);
        source->kill();
        source->waitForFinished(5000);
    }

    // An AAC source at the default bitrate: .aac listeners get its own frames, playable.
    void aacSourceIsPassedThrough()
    {
        const QString name = QStringLiteral("aacsrc");
        auto source = publish(name, 12, {"-c:a", "aac", "-b:a", "128k"},
                              QStringLiteral("audio/aac"), QStringLiteral("adts"));
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        // The bytes as a player gets them (not re-muxed by ffmpeg on the way).
        RawClient listener(m_server->httpPort());
        listener.send("GET /live/aacsrc.aac HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray body = listener.read(5000, 4096, "\r\n\r\n");
        QVERIFY(body.startsWith("HTTP/1.1 200"));
        body.remove(0, body.indexOf("\r\n\r\n") + 4);
        // Waited for, not sampled once: on a loaded machine (the sanitizer build) a stall
        // bridged with silence re-encodes for a moment, and pass-through resumes after it.
        QTRY_COMPARE_WITH_TIMEOUT(modeOf(name, QStringLiteral("aac")),
                                  QStringLiteral("passthrough"), 6000);
        body += listener.read(2500, 1 << 20);
        const QString file = m_dir.filePath(QStringLiteral("passed.aac"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(body);
        out.close();
        auto strict = startTool(QStringLiteral("ffmpeg"),
                                {"-v", "error", "-i", file, "-f", "null", "-"}, true);
        QVERIFY(strict->waitForFinished(15000));
        const QByteArray errors = strict->readAll();
        QVERIFY2(!errors.contains("Invalid data"), errors.left(300).constData());
        const QJsonObject probed = probeAudio(file);
        QCOMPARE(probed.value(QStringLiteral("codec_name")).toString(), QStringLiteral("aac"));
        QCOMPARE(probed.value(QStringLiteral("sample_rate")).toString(), QStringLiteral("48000"));
        QVERIFY(is440Hz(decodeToPcm(file, 3)));
        source->kill();
        source->waitForFinished(5000);
    }

    void effectsChangeTheAudioLive()
    {
        const QString name = QStringLiteral("fx");
        auto source =
            publish(name, 16, kOpus128, QStringLiteral("audio/ogg"), QStringLiteral("ogg"));
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        auto listener = startTool(QStringLiteral("ffmpeg"),
                                  {"-hide_banner", "-loglevel", "error", "-i", url(name + ".mp3"),
                                   "-t", "7", "-f", "s16le", "-ac", "1", "-ar", "8000", "-"});
        QTest::qWait(2500);
        const QJsonObject levels = audioOf(name).value(QStringLiteral("levels")).toObject();
        const double inputPeak = levels.value(QStringLiteral("input"))
                                     .toObject()
                                     .value(QStringLiteral("peak_dbfs"))
                                     .toDouble();
        // A 1/8 sine (-18.06 dBFS) that ffmpeg's -ac 2 spread over two channels at -3 dB.
        QVERIFY2(std::abs(inputPeak - -21.07) < 1.0, qPrintable(QString::number(inputPeak)));
        const HttpReply muted = patchEffects(name, R"({"mute": true})");
        QCOMPARE(muted.status, 200);
        QCOMPARE(muted.json()
                     .value(QStringLiteral("effects"))
                     .toObject()
                     .value(QStringLiteral("mute"))
                     .toBool(),
                 true);
        QVERIFY(listener->waitForFinished(15000));
        const QByteArray pcm = listener->readAllStandardOutput();
        QVERIFY2(pcm.size() >= 8000 * 2 * 6, qPrintable(QString::number(pcm.size())));
        // The first seconds are the tone, the last ones silence: the change reached a listener
        // already connected, without reconnecting it.
        QVERIFY(is440Hz(pcm.first(8000 * 2 * 2)));
        QVERIFY2(peakOf(pcm.last(8000 * 2 * 2)) < 30,
                 qPrintable(QString::number(peakOf(pcm.last(8000 * 2 * 2)))));
        const QJsonObject after = audioOf(name).value(QStringLiteral("levels")).toObject();
        QVERIFY(after.value(QStringLiteral("output"))
                    .toObject()
                    .value(QStringLiteral("peak_dbfs"))
                    .toDouble() < -100);

        // Refusals: out of range, another broadcaster's stream, an offline stream.
        const HttpReply wrong = patchEffects(name, R"({"gain_db": 99})");
        QCOMPARE(wrong.status, 400);
        QVERIFY2(wrong.body.contains("gain_db"), wrong.body.constData());
        const HttpReply notJson = patchEffects(name, "mute");
        QCOMPARE(notJson.status, 400);
        const QByteArray other =
            m_server->token(QStringLiteral("other"), QStringLiteral("broadcaster"));
        QCOMPARE(patchEffects(name, R"({"mute": false})", other).status, 403);
        source->kill();
        source->waitForFinished(5000);
        QVERIFY(waitForStreamState(*m_server, m_token, name, QStringLiteral("offline"), 5000));

        // Offline, the chain is stored for the next broadcast, which starts with it.
        const HttpReply stored = patchEffects(name, R"({"mute": false, "gain_db": -6})");
        QCOMPARE(stored.status, 200);
        QCOMPARE(stored.json().value(QStringLiteral("live")).toBool(), false);
        auto again = publish(name, 6, kOpus128, QStringLiteral("audio/ogg"), QStringLiteral("ogg"));
        QVERIFY2(again, qPrintable(m_server->diagnostics()));
        const auto effectsNow = [this, &name] {
            return audioOf(name).value(QStringLiteral("effects")).toObject();
        };
        QTRY_COMPARE_WITH_TIMEOUT(effectsNow().value(QStringLiteral("gain_db")).toDouble(), -6.0,
                                  3000);
        QCOMPARE(effectsNow().value(QStringLiteral("mute")).toBool(), false);
        again->kill();
        again->waitForFinished(5000);
    }

    // A source that drops and comes back within STREAM_SOURCE_GRACE_S: rendition listeners stay
    // connected, hear silence in between, then the new source.
    void renditionListenersStayAcrossAReconnect()
    {
        const QString name = QStringLiteral("flaky");
        const QByteArray key = createStream(*m_server, m_token, name);
        const QStringList first =
            ffmpegToneSource(m_server->httpPort(), key, name, 4, kOpus128,
                             QStringLiteral("audio/ogg"), QStringLiteral("ogg"));
        auto source = startTool(QStringLiteral("ffmpeg"), first, true);
        QVERIFY(waitForStreamState(*m_server, m_token, name, QStringLiteral("live"), 5000));
        RawClient listener(m_server->httpPort());
        listener.send("GET /live/flaky.mp3 HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(listener.read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));
        QVERIFY(source->waitForFinished(10000)); // the first source is gone
        const double silenceBefore =
            scrapeMetric(m_server->metricsPort(), "stream_silence_filled_seconds_total");
        listener.read(2000, 1 << 20);
        auto second =
            startTool(QStringLiteral("ffmpeg"),
                      ffmpegToneSource(m_server->httpPort(), key, name, 6, kOpus128,
                                       QStringLiteral("audio/ogg"), QStringLiteral("ogg")),
                      true);
        // About 16 kB/s of MP3 the whole time: silence while the source was away, then audio.
        const QByteArray heard = listener.read(4000, 1 << 20);
        QVERIFY2(heard.size() > 40000, qPrintable(QString::number(heard.size())));
        QVERIFY(scrapeMetric(m_server->metricsPort(), "stream_silence_filled_seconds_total") >
                silenceBefore);
        QCOMPARE(streamInfo(*m_server, m_token, name).value(QStringLiteral("state")).toString(),
                 QStringLiteral("live"));
        QVERIFY(!listener.waitForClose(100));
        second->kill();
        second->waitForFinished(5000);
    }

    // STREAM_BURST_MS sets how much recent audio a new listener gets at once.
    void burstIsTheConfiguredAmount()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("STREAM_BURST_MS"), QStringLiteral("3000"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QByteArray token = server.token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        const QByteArray key = createStream(server, token, QStringLiteral("burst"));
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegToneSource(server.httpPort(), key, QStringLiteral("burst"),
                                                 12, kOpus128, QStringLiteral("audio/ogg"),
                                                 QStringLiteral("ogg")),
                                true);
        QVERIFY(waitForStreamState(server, token, QStringLiteral("burst"), QStringLiteral("live"),
                                   5000));
        RawClient first(server.httpPort()); // keeps the 128 kbit/s MP3 rendition encoding
        first.send("GET /live/burst.mp3 HTTP/1.1\r\nHost: x\r\n\r\n");
        first.read(5000, 1 << 20); // the ring now holds more than 3 s
        RawClient second(server.httpPort());
        second.send("GET /live/burst.mp3 HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray answer = second.read(3000, 1 << 20, "\r\n\r\n");
        const qsizetype head = answer.indexOf("\r\n\r\n") + 4;
        QVERIFY(answer.startsWith("HTTP/1.1 200"));
        answer += second.read(300, 1 << 20);
        const qsizetype burst = answer.size() - head;
        // 3 s at 16,000 bytes/s at once (plus what 0.3 s of live audio adds); 1 s would be 16 kB.
        QVERIFY2(burst > 40000 && burst < 62000, qPrintable(QString::number(burst)));
        source->kill();
        source->waitForFinished(5000);
    }

    void garbageSourceIsDroppedWhileOthersPlay()
    {
        const QString name = QStringLiteral("keep");
        auto source =
            publish(name, 14, kOpus128, QStringLiteral("audio/ogg"), QStringLiteral("ogg"));
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        RawClient listener(m_server->httpPort());
        listener.send("GET /live/keep.opus HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(listener.read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));

        const QByteArray badKey = createStream(*m_server, m_token, QStringLiteral("garbage"));
        RawClient bad(m_server->httpPort());
        bad.send("PUT /live/garbage HTTP/1.1\r\nHost: x\r\nContent-Type: audio/ogg\r\n" +
                 sourceAuth(badKey) + "\r\n");
        QVERIFY(bad.read(5000, 4096, "\r\n\r\n").contains("200"));
        QByteArray noise(64 * 1024, '\0');
        QRandomGenerator generator(7);
        for (char &byte : noise)
            byte = char(generator.bounded(256));
        bad.send(noise);
        QVERIFY2(bad.waitForClose(8000), "a source sending random bytes is dropped");
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_server->findLog(QStringLiteral("source of garbage dropped: not an Ogg stream"))
                 .isEmpty(),
            3000);
        QVERIFY(scrapeMetric(m_server->metricsPort(),
                             "stream_source_failures_total{reason=\"unreadable\"}") >= 1);
        // The other stream never noticed: its listener still gets audio.
        QVERIFY(listener.read(3000, 64 * 1024).size() > 8 * 1024);
        source->kill();
        source->waitForFinished(5000);
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_token;
    QHash<QString, QByteArray> m_keys; // stream keys by name, for a second broadcast
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestTranscode)
#include "tst_transcode.moc"
