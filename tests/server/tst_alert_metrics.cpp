// The metrics the production guide's alert rules and an operator's dashboards use, against the
// real binary: http_errors_total (HighErrorRate), cpu_usage_percent and memory_usage_percent
// of a container (a cgroup v2 made of files the test writes), veza_build_info,
// websocket_closes_total by code, stream_listener_bytes_total, and per-stream series that go
// when their stream ends.
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"
#include "SqliteWriteLock.h"
#include "VezaVersion.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <memory>

using namespace veza::testing;

namespace {

// The git commit `prefix` abbreviates in the source tree's checkout, empty when git cannot
// tell (no git, not a checkout).
QString commitInCheckout(const QString &prefix)
{
    QProcess git;
    git.start(QStringLiteral("git"),
              {QStringLiteral("-C"), qEnvironmentVariable("VEZA_SOURCE_DIR"),
               QStringLiteral("rev-parse"), QStringLiteral("--verify"), QStringLiteral("--quiet"),
               prefix + QStringLiteral("^{commit}")});
    if (!git.waitForFinished(10000) || git.exitCode() != 0)
        return {};
    return QString::fromLatin1(git.readAllStandardOutput().trimmed());
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(content) == content.size();
}

bool gitWorksHere()
{
    QProcess git;
    git.start(QStringLiteral("git"), {QStringLiteral("-C"), qEnvironmentVariable("VEZA_SOURCE_DIR"),
                                      QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
    return git.waitForFinished(10000) && git.exitStatus() == QProcess::NormalExit &&
           git.exitCode() == 0;
}

// The `code` and `initiator` series of websocket_closes_total.
QByteArray closes(const char *code, const char *initiator)
{
    return QByteArray("websocket_closes_total{code=\"") + code + "\",initiator=\"" + initiator +
           "\"}";
}

} // namespace

class TestAlertMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The container: half a core, 1 GiB, 768 MiB in use of which 256 MiB is inactive file
        // cache (reclaimable): a working set of 512 MiB.
        QVERIFY(m_cgroup.isValid());
        QVERIFY(writeFile(m_cgroup.filePath(QStringLiteral("cgroup.controllers")), "cpu memory\n"));
        QVERIFY(writeFile(m_cgroup.filePath(QStringLiteral("cpu.max")), "50000 100000\n"));
        QVERIFY(writeFile(m_cgroup.filePath(QStringLiteral("cpu.stat")), "usage_usec 1000000\n"));
        QVERIFY(writeFile(m_cgroup.filePath(QStringLiteral("memory.max")), "1073741824\n"));
        QVERIFY(writeFile(m_cgroup.filePath(QStringLiteral("memory.current")), "805306368\n"));
        QVERIFY(writeFile(m_cgroup.filePath(QStringLiteral("memory.stat")),
                          "anon 536870912\ninactive_file 268435456\n"));

        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("VEZA_CGROUP_ROOT"), m_cgroup.path());
        // A locked database fails a write within a second instead of five.
        m_server->setEnv(QStringLiteral("DATABASE_TIMEOUT_MS"), QStringLiteral("1000"));
        m_server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("1"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_token = m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
    }

    void cleanupTestCase() { m_server.reset(); }

    void buildInfoNamesTheVersionAndTheCommit()
    {
        const QByteArray metrics = HttpProbe::getOnce(m_server->metricsPort(), "/metrics").body;
        const QRegularExpression series(QString::fromLatin1(
            R"re(\nveza_build_info\{version="([^"]*)",commit="([^"]*)"\} 1\n)re"));
        const QRegularExpressionMatch match = series.match(QString::fromUtf8(metrics));
        QVERIFY2(match.hasMatch(), metrics.constData());
        QCOMPARE(match.captured(1), QString::fromLatin1(veza::kVersion));
        const QString commit = match.captured(2);
        if (!gitWorksHere()) {
            QCOMPARE(commit, QStringLiteral("unknown"));
            return;
        }
        // The commit the binary was built from: a commit of this checkout (HEAD may have moved
        // on since the build).
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{12}$")).match(commit).hasMatch(),
                 qPrintable(commit));
        QVERIFY2(commitInCheckout(commit).startsWith(commit), qPrintable(commit));
    }

    // The guide's HighCpu and HighMemory thresholds (80, 85) are against the container's limits.
    void cpuAndMemoryAreRelativeToTheContainersLimits()
    {
        const quint16 metricsPort = m_server->metricsPort();
        QCOMPARE(scrapeMetric(metricsPort, "memory_usage_percent"), 50.0);

        scrapeMetric(metricsPort, "cpu_usage_percent"); // the start of an interval
        QElapsedTimer interval;
        interval.start();
        // A quarter of a second of CPU for the container, then about a second of wall time.
        QVERIFY(writeFile(m_cgroup.filePath(QStringLiteral("cpu.stat")), "usage_usec 1250000\n"));
        QTest::qWait(1000);
        const double percent = scrapeMetric(metricsPort, "cpu_usage_percent");
        const double expected = 0.25 / (interval.elapsed() / 1000.0 * 0.5) * 100;
        QVERIFY2(percent > expected * 0.85 && percent < expected * 1.15,
                 qPrintable(QStringLiteral("%1, expected about %2").arg(percent).arg(expected)));
    }

    // HighErrorRate divides http_errors_total by http_requests_total: the 5xx answers among
    // the requests, not the 4xx a client brought on itself.
    void serverErrorsAreCountedForHighErrorRate()
    {
        const quint16 metricsPort = m_server->metricsPort();
        QCOMPARE(scrapeMetric(metricsPort, "http_errors_total"), 0.0);
        QCOMPARE(HttpProbe::getOnce(m_server->httpPort(), "/no/such/route").status, 404);

        SqliteWriteLock lock(m_server->dataDir() + QStringLiteral("/veza.db"));
        QVERIFY2(lock.isHeld(), qPrintable(lock.error()));
        HttpProbe probe(m_server->httpPort());
        const HttpReply refused = probe.request("POST", "/api/streams", R"({"name":"locked-out"})",
                                                10000, "Authorization: Bearer " + m_token + "\r\n");
        lock.release();
        QVERIFY2(refused.status >= 500, refused.body.constData());

        const QByteArray metrics = HttpProbe::getOnce(metricsPort, "/metrics").body;
        QCOMPARE(metricValue(metrics, "http_errors_total"), 1.0);
        QCOMPARE(metricValue(metrics, R"(http_requests_total{method="POST",route="/api/streams",)"
                                      R"(status=")" +
                                          QByteArray::number(refused.status) + R"("})"),
                 1.0);
        QVERIFY(metrics.contains("# TYPE http_errors_total counter\n"));
    }

    void webSocketClosesAreCountedByCodeAndInitiator()
    {
        const quint16 metricsPort = m_server->metricsPort();
        const QUrl ping(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server->webSocketPort()));

        // The server closes a path it does not serve with 1008.
        {
            QWebSocket socket;
            socket.open(
                QUrl(QStringLiteral("ws://127.0.0.1:%1/nowhere").arg(m_server->webSocketPort())));
            QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
            QCOMPARE(socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        }
        QTRY_COMPARE(scrapeMetric(metricsPort, closes("1008", "server")), 1.0);

        // A client that says goodbye, one with a library's own code, one that vanishes.
        const auto closeWith = [&](std::optional<quint16> code) {
            QWebSocket socket;
            socket.open(ping);
            QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
            if (code)
                socket.close(QWebSocketProtocol::CloseCode(*code));
            else
                socket.abort();
            QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        };
        closeWith(1000);
        closeWith(3001);
        closeWith(std::nullopt);
        QTRY_COMPARE(scrapeMetric(metricsPort, closes("1000", "client")), 1.0);
        QTRY_COMPARE(scrapeMetric(metricsPort, closes("other", "client")), 1.0);
        QTRY_COMPARE(scrapeMetric(metricsPort, closes("1006", "client")), 1.0);
        QCOMPARE(scrapeMetric(metricsPort, "websocket_connections_active"), 0.0);
    }

    // Bytes written to a stream's listeners, counted per stream while it is live; its series
    // (listeners, ingest bitrate, bytes) go when it ends, so ended streams do not pile up.
    void listenerBytesPerStreamAndSeriesGoWhenItEnds()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame and ffprobe are needed");
        const QByteArray key = createStream(*m_server, m_token, QStringLiteral("tone"));
        QVERIFY(!key.isEmpty());
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(m_server->httpPort(), key, "tone", 5), true);
        QVERIFY(waitForStreamState(*m_server, m_token, QStringLiteral("tone"),
                                   QStringLiteral("live"), 5000));

        RawClient listener(m_server->httpPort());
        QVERIFY(listener.send("GET /live/tone HTTP/1.1\r\nHost: test\r\n\r\n"));
        const quint16 metricsPort = m_server->metricsPort();
        const QByteArray bytes = R"(stream_listener_bytes_total{stream="tone"})";
        qint64 received = 0;
        double counted = -1;
        QDeadlineTimer deadline(10000);
        // 128 kbit/s MP3 is 16 kB a second: two seconds of it, read as it comes.
        while (counted < 32000 && !deadline.hasExpired()) {
            received += listener.read(250).size();
            counted = scrapeMetric(metricsPort, bytes);
        }
        QVERIFY2(counted >= 32000, qPrintable(QString::number(counted)));
        received += listener.read(250).size();
        // What the server counted went to this one listener (its response head aside).
        QVERIFY2(counted <= received,
                 qPrintable(QStringLiteral("%1 %2").arg(counted).arg(received)));
        const QByteArray metrics = HttpProbe::getOnce(metricsPort, "/metrics").body;
        QCOMPARE(metricValue(metrics, R"(stream_listeners{stream="tone"})"), 1.0);
        QVERIFY(metricValue(metrics, R"(stream_ingest_bitrate_bps{stream="tone"})") > 0);
        QVERIFY(metrics.contains("# HELP listeners_active Listeners of every live stream: HTTP "
                                 "and WebSocket, every rendition.\n"));

        // The source's 5 s, then the 1 s grace: the stream ends and its series with it.
        QVERIFY(listener.waitForClose(15000));
        QVERIFY(source->waitForFinished(5000));
        QTRY_COMPARE_WITH_TIMEOUT(scrapeMetric(metricsPort, bytes), -1.0, 5000);
        const QByteArray after = HttpProbe::getOnce(metricsPort, "/metrics").body;
        QCOMPARE(metricValue(after, R"(stream_listeners{stream="tone"})"), -1.0);
        QCOMPARE(metricValue(after, R"(stream_ingest_bitrate_bps{stream="tone"})"), -1.0);
        QCOMPARE(metricValue(after, "streams_active"), 0.0);
    }

private:
    QTemporaryDir m_cgroup;
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_token;
};

QTEST_MAIN(TestAlertMetrics)
#include "tst_alert_metrics.moc"
