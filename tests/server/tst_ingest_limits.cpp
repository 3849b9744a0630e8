// The ingest's defences against the real binary: random bytes as a source are dropped and a
// listener that never reads is dropped (its memory bounded) while the other streams play; a
// source sending far faster than real time is paced, not dropped; MAX_STREAMS and
// MAX_LISTENERS_PER_STREAM answer 503 and are counted; unsupported types get 415; the legacy
// SOURCE method and HEAD are answered as Icecast does.
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <sys/socket.h>
#include <thread>

using namespace veza::testing;

namespace {

QByteArray put(const QString &name, const QByteArray &key, const QByteArray &type)
{
    return "PUT /live/" + name.toUtf8() + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + type + "\r\n" +
           sourceAuth(key) + "\r\n";
}

QByteArray get(const QString &name, const QByteArray &method = "GET")
{
    return method + " /live/" + name.toUtf8() + " HTTP/1.1\r\nHost: x\r\n\r\n";
}

// A source that sent its head and was accepted (answer "HTTP/1.0 200 OK").
std::unique_ptr<RawClient> openSource(quint16 port, const QString &name, const QByteArray &key)
{
    auto source = std::make_unique<RawClient>(port);
    source->send(put(name, key, "audio/mpeg"));
    const QByteArray answer = source->read(5000, 4096, "\r\n\r\n");
    if (!answer.startsWith("HTTP/1.0 200 OK"))
        qWarning() << "source refused:" << answer;
    return source;
}

} // namespace

class TestIngestLimits : public QObject
{
    Q_OBJECT

private:
    double metric(const QByteArray &series)
    {
        return scrapeMetric(m_server->metricsPort(), series);
    }

    bool waitForMetric(const QByteArray &series, double value, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (metric(series) == value)
                return true;
            QTest::qWait(100);
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("0"));
        m_server->setEnv(QStringLiteral("MAX_STREAMS"), QStringLiteral("2"));
        m_server->setEnv(QStringLiteral("MAX_LISTENERS_PER_STREAM"), QStringLiteral("3"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_token = m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        for (const QString &name : {QStringLiteral("calm"), QStringLiteral("noise"),
                                    QStringLiteral("third"), QStringLiteral("paced")}) {
            m_keys[name] = createStream(*m_server, m_token, name);
            QVERIFY(!m_keys[name].isEmpty());
        }
        // 40 s of a 320 kbit/s MP3: real audio the pipeline accepts, at 40 kB/s.
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("tone.mp3"));
        auto encoder =
            startTool(QStringLiteral("ffmpeg"),
                      {"-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                       "-t", "40", "-c:a", "libmp3lame", "-b:a", "320k", file});
        QVERIFY(encoder->waitForFinished(30000));
        QFile mp3(file);
        QVERIFY(mp3.open(QIODevice::ReadOnly));
        m_mp3 = mp3.readAll();
        QVERIFY(m_mp3.size() > 1000000);
    }

    void cleanupTestCase() { m_server.reset(); }

    void garbageSourceAndStalledListener()
    {
        const quint16 port = m_server->httpPort();
        auto paced = openSource(port, QStringLiteral("paced"), m_keys[QStringLiteral("paced")]);
        // All 40 s of audio at once, far faster than real time: the server paces it (stops
        // reading) instead of racing ahead or dropping it. Sent from a thread: the send
        // blocks while the server is not reading.
        const qint64 sendStarted = QDateTime::currentMSecsSinceEpoch();
        std::thread sender([&paced, this] { paced->send(m_mp3); });
        const auto joinSender = qScopeGuard([&] {
            // Its 40 s would take that long to play out: the stream is ended instead.
            HttpProbe(m_server->httpPort())
                .request("DELETE", "/api/streams/paced", {}, 5000,
                         "Authorization: Bearer " + m_token + "\r\n");
            ::shutdown(paced->descriptor(), SHUT_RDWR); // ends a send still blocked
            sender.join();
        });
        RawClient steadyListener(port);
        steadyListener.send(get(QStringLiteral("paced")));
        QVERIFY(steadyListener.read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));
        RawClient stalled(port, 4096); // a tiny window, and never read
        stalled.send(get(QStringLiteral("paced")));

        auto noise = openSource(port, QStringLiteral("noise"), m_keys[QStringLiteral("noise")]);
        QByteArray chunk(64 * 1024, '\0');
        QRandomGenerator(42).fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
        bool noiseClosed = false;
        for (int i = 0; i < 50 && !noiseClosed; ++i) {
            noise->send(chunk);
            noiseClosed = noise->waitForClose(100);
        }
        QVERIFY2(noiseClosed, "random bytes as a source are dropped");
        QVERIFY(metric("stream_source_failures_total{reason=\"unreadable\"}") >= 1);

        // The stalled listener falls behind by 256 KiB within seconds at 40 kB/s and is
        // dropped, while the other listener keeps getting audio in real time.
        qint64 steadyBytes = 0;
        QDeadlineTimer deadline(15000);
        bool stalledClosed = false;
        while (!deadline.hasExpired() && !stalledClosed) {
            steadyBytes += steadyListener.read(200, 1 << 20).size();
            stalledClosed = metric("stream_listeners_dropped_total{reason=\"slow\"}") >= 1;
        }
        QVERIFY(stalledClosed);
        QVERIFY(stalled.waitForClose(5000));
        const double seconds = (QDateTime::currentMSecsSinceEpoch() - sendStarted) / 1000.0;
        // Real time plus the burst and the audio allowed ahead, not the 40 s sent.
        QVERIFY2(steadyBytes < (seconds + 8) * 40000,
                 qPrintable(QStringLiteral("%1 bytes in %2 s").arg(steadyBytes).arg(seconds)));
        QVERIFY2(steadyBytes > (seconds - 3) * 40000 * 0.8,
                 qPrintable(QStringLiteral("%1 bytes in %2 s").arg(steadyBytes).arg(seconds)));
        QCOMPARE(HttpProbe::getOnce(port, "/health/live").status, 200);
    }

    void limitsAreAnsweredWith503()
    {
        const quint16 port = m_server->httpPort();
        QVERIFY(waitForMetric("streams_active", 0, 5000)); // the sources above are gone
        auto calm = openSource(port, QStringLiteral("calm"), m_keys[QStringLiteral("calm")]);
        auto noise = openSource(port, QStringLiteral("noise"), m_keys[QStringLiteral("noise")]);
        RawClient third(port);
        third.send(put(QStringLiteral("third"), m_keys[QStringLiteral("third")], "audio/mpeg"));
        const QByteArray refused = third.read(5000, 4096, "}");
        QVERIFY2(refused.startsWith("HTTP/1.1 503"), refused.constData());
        QVERIFY(refused.contains("max_streams"));
        QVERIFY(metric("stream_refused_total{reason=\"max_streams\"}") >= 1);

        std::vector<std::unique_ptr<RawClient>> listeners;
        for (int i = 0; i < 3; ++i) {
            listeners.push_back(std::make_unique<RawClient>(port));
            listeners.back()->send(get(QStringLiteral("calm")));
            QVERIFY(listeners.back()->read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));
        }
        RawClient fourth(port);
        fourth.send(get(QStringLiteral("calm")));
        const QByteArray full = fourth.read(5000, 4096, "}");
        QVERIFY2(full.startsWith("HTTP/1.1 503"), full.constData());
        QVERIFY(full.contains("max_listeners"));
        QVERIFY(metric("stream_refused_total{reason=\"max_listeners\"}") >= 1);
    }

    void typesAndLegacyMethods()
    {
        const quint16 port = m_server->httpPort();
        QVERIFY(waitForMetric("streams_active", 0, 5000));
        RawClient flac(port);
        flac.send(put(QStringLiteral("calm"), m_keys[QStringLiteral("calm")], "audio/flac"));
        const QByteArray flacAnswer = flac.read(5000, 4096, "}");
        QVERIFY2(flacAnswer.startsWith("HTTP/1.1 415"), flacAnswer.constData());
        QVERIFY(flacAnswer.contains("unsupported content type"));

        RawClient legacy(port);
        legacy.send("SOURCE /live/calm ICE/1.0\r\nContent-Type: audio/mpeg\r\nice-name: Old "
                    "school\r\n" +
                    sourceAuth(m_keys[QStringLiteral("calm")]) + "\r\n");
        QCOMPARE(legacy.read(5000, 4096, "\r\n\r\n"), QByteArray("HTTP/1.0 200 OK\r\n\r\n"));
        legacy.send(m_mp3.first(64 * 1024));

        RawClient head(port);
        head.send(get(QStringLiteral("calm"), "HEAD"));
        const QByteArray headers = head.read(5000, 4096, "\r\n\r\n");
        QVERIFY2(headers.startsWith("HTTP/1.1 200 OK"), headers.constData());
        QVERIFY(headers.contains("icy-name: Old school"));
        QVERIFY(headers.contains("Cache-Control: no-cache"));
        QVERIFY(head.waitForClose(3000));
        QCOMPARE(HttpProbe::getOnce(port, "/live/third").status, 404);

        // Deleting the stream ends its broadcast: source and listeners are disconnected.
        RawClient listener(port);
        listener.send(get(QStringLiteral("calm")));
        QVERIFY(listener.read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));
        HttpProbe api(port);
        QCOMPARE(api.request("DELETE", "/api/streams/calm", {}, 5000,
                             "Authorization: Bearer " + m_token + "\r\n")
                     .status,
                 204);
        QVERIFY(listener.waitForClose(3000));
        legacy.send(m_mp3.sliced(64 * 1024, 4096));
        QVERIFY(legacy.waitForClose(3000));
        QCOMPARE(HttpProbe::getOnce(port, "/live/calm").status, 404);
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    QHash<QString, QByteArray> m_keys;
    QByteArray m_token;
    QByteArray m_mp3;
};

QTEST_GUILESS_MAIN(TestIngestLimits)
#include "tst_ingest_limits.moc"
