// SIGTERM during broadcasts, against the real binary with the real ffmpeg: the HTTP listeners
// hear their streams to the end (every byte the server counted, whole Ogg pages, then the end
// of the stream, not a reset), including the audio a source had sent ahead, which is played
// out first; the sources see their connections closed in good order; the listener history
// says "shutdown", so do the broadcasts' rows; the server exits 0 within SHUTDOWN_TIMEOUT_S.
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <optional>

using namespace veza::testing;

namespace {

constexpr int kShutdownTimeoutS = 20;
constexpr int kAheadSeconds = 5; // audio the raw source sends at once
constexpr int kOpusRate = 48000; // granule positions count 48 kHz samples

// An HTTP listener written by hand: the request, then the response head.
struct Listener
{
    Listener(quint16 port, const QByteArray &path, const QByteArray &userAgent,
             int receiveBuffer = 0)
        : client(port, receiveBuffer)
    {
        client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nUser-Agent: " + userAgent +
                    "\r\n\r\n");
        const QByteArray start = client.read(5000, 1 << 20, "\r\n\r\n");
        const qsizetype end = start.indexOf("\r\n\r\n");
        head = end < 0 ? start : start.left(end);
        body = end < 0 ? QByteArray() : start.mid(end + 4);
    }

    RawClient client;
    QByteArray head;
    QByteArray body;
};

// The Ogg pages of `bytes` (RFC 3533): how many, and the granule position of the last one that
// has one; nullopt unless the bytes are whole pages from the first byte to the last.
struct OggPages
{
    int count = 0;
    qint64 lastGranule = -1;
};
std::optional<OggPages> wholeOggPages(const QByteArray &bytes)
{
    OggPages pages;
    qsizetype at = 0;
    while (at < bytes.size()) {
        if (bytes.size() - at < 27 || bytes.mid(at, 4) != "OggS")
            return std::nullopt;
        const auto *header = reinterpret_cast<const uchar *>(bytes.constData() + at);
        const int segments = header[26];
        if (bytes.size() - at < 27 + segments)
            return std::nullopt;
        qsizetype bodySize = 0;
        for (int i = 0; i < segments; ++i)
            bodySize += header[27 + i];
        if (bytes.size() - at < 27 + segments + bodySize)
            return std::nullopt; // cut in the middle of a page
        qint64 granule = 0;
        for (int i = 7; i >= 0; --i)
            granule = (granule << 8) | header[6 + i];
        if (granule >= 0)
            pages.lastGranule = granule;
        ++pages.count;
        at += 27 + segments + bodySize;
    }
    return pages;
}

// kAheadSeconds of a 440 Hz tone as MP3, in a file made by ffmpeg.
QByteArray mp3Tone(const QTemporaryDir &dir)
{
    const QString file = dir.filePath(QStringLiteral("ahead.mp3"));
    auto encoder = startTool(
        QStringLiteral("ffmpeg"),
        {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"), QStringLiteral("error"),
         QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
         QStringLiteral("sine=frequency=440:sample_rate=48000"), QStringLiteral("-t"),
         QString::number(kAheadSeconds), QStringLiteral("-ac"), QStringLiteral("2"),
         QStringLiteral("-c:a"), QStringLiteral("libmp3lame"), QStringLiteral("-b:a"),
         QStringLiteral("128k"), QStringLiteral("-f"), QStringLiteral("mp3"), file});
    if (!encoder->waitForFinished(30000) || encoder->exitCode() != 0)
        return {};
    QFile mp3(file);
    return mp3.open(QIODevice::ReadOnly) ? mp3.readAll() : QByteArray();
}

// Rows of a query on a SQLite file the server has left.
QList<QVariantList> sqliteRows(const QString &file, const QString &statement)
{
    QList<QVariantList> result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), u"drain"_qs);
        db.setDatabaseName(file);
        QSqlQuery query(db);
        if (db.open() && query.exec(statement)) {
            while (query.next())
                result << QVariantList{query.value(0), query.value(1)};
        }
    }
    QSqlDatabase::removeDatabase(u"drain"_qs);
    return result;
}

const char *endingName(RawClient::Ending ending)
{
    switch (ending) {
    case RawClient::Ending::StillOpen:
        return "still open";
    case RawClient::Ending::Eof:
        return "end of stream";
    case RawClient::Ending::Reset:
        return "reset";
    }
    return "?";
}

} // namespace

class TestGracefulDrain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sigtermDrainsHttpListenersAndSources()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame and ffprobe are needed");
        QTemporaryDir dir;
        const QByteArray ahead = mp3Tone(dir);
        QVERIFY(ahead.size() > 50'000);

        ServerProcess server;
        server.setEnv(QStringLiteral("SHUTDOWN_TIMEOUT_S"), QString::number(kShutdownTimeoutS));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QByteArray token = server.token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        const QByteArray toneKey = createStream(server, token, QStringLiteral("tone"));
        const QByteArray aheadKey = createStream(server, token, QStringLiteral("ahead"));
        QVERIFY(!toneKey.isEmpty() && !aheadKey.isEmpty());

        // "tone": ffmpeg in real time, and a listener of its MP3 that reads nothing for a while,
        // so the server holds bytes for it when the shutdown begins.
        auto ffmpeg = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(server.httpPort(), toneKey, "tone", 60), true);
        QVERIFY(waitForStreamState(server, token, QStringLiteral("tone"), QStringLiteral("live"),
                                   10000));
        Listener behind(server.httpPort(), "/live/tone", "VezaTest/drain-behind", 4096);
        QVERIFY2(behind.head.startsWith("HTTP/1.1 200"), behind.head.constData());

        // "ahead": a source that sends kAheadSeconds of audio at once, and a listener of the
        // Opus rendition (attached before the audio, so it gets all of it encoded).
        RawClient aheadSource(server.httpPort());
        aheadSource.send("PUT /live/ahead HTTP/1.1\r\nHost: x\r\nContent-Type: audio/mpeg\r\n" +
                         sourceAuth(aheadKey) + "\r\n");
        QVERIFY(aheadSource.read(5000, 1024, "\r\n\r\n").contains(" 200 "));
        QVERIFY(waitForStreamState(server, token, QStringLiteral("ahead"), QStringLiteral("live"),
                                   5000));
        Listener opus(server.httpPort(), "/live/ahead.opus", "VezaTest/drain-opus");
        QVERIFY2(opus.head.startsWith("HTTP/1.1 200"), opus.head.constData());
        QTest::qWait(2500); // "behind" falls behind
        QVERIFY(aheadSource.send(ahead));
        // The pipeline plays it out in real time (at most 2 s ahead): most of it is still to
        // come when the shutdown begins.
        QTest::qWait(500);
        QElapsedTimer sinceSignal;
        sinceSignal.start();
        server.sendSignal(SIGTERM);

        // Each listener gets its stream to the end, then an orderly end of the connection.
        QByteArray behindBody = behind.body;
        const RawClient::Ending behindEnd =
            behind.client.readToEnd(kShutdownTimeoutS * 1000, &behindBody);
        behind.client.close();
        QByteArray opusBody = opus.body;
        const RawClient::Ending opusEnd =
            opus.client.readToEnd(kShutdownTimeoutS * 1000, &opusBody);
        opus.client.close();
        QVERIFY2(behindEnd == RawClient::Ending::Eof, endingName(behindEnd));
        QVERIFY2(opusEnd == RawClient::Ending::Eof, endingName(opusEnd));
        const std::optional<OggPages> pages = wholeOggPages(opusBody);
        QVERIFY2(pages, "the Opus listener's stream ends in the middle of an Ogg page");
        // All the audio the source sent ahead, not only what was played when SIGTERM came.
        QVERIFY2(pages->lastGranule >= qint64(kAheadSeconds - 0.5) * kOpusRate,
                 qPrintable(
                     QStringLiteral("%1 s of audio").arg(double(pages->lastGranule) / kOpusRate)));
        // The sources are told in good order: our end of stream (the raw source reads it),
        // ffmpeg stops long before its 60 s.
        const RawClient::Ending sourceEnd = aheadSource.readToEnd(5000);
        QVERIFY2(sourceEnd == RawClient::Ending::Eof, endingName(sourceEnd));
        aheadSource.close();
        QVERIFY(ffmpeg->waitForFinished(10000));

        QVERIFY2(server.waitForExit((kShutdownTimeoutS + 5) * 1000),
                 qPrintable(server.diagnostics()));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
        qInfo() << "drained in" << sinceSignal.elapsed() << "ms;" << pages->count << "Ogg pages,"
                << double(pages->lastGranule) / kOpusRate << "s of Opus;" << behindBody.size()
                << "bytes of MP3";
        QVERIFY(sinceSignal.elapsed() < kShutdownTimeoutS * 1000);
        QVERIFY(!server.findLog(QStringLiteral("drained")).isEmpty());
        QVERIFY(server.findLog(QStringLiteral("shutdown deadline")).isEmpty());
        QVERIFY(
            !server.findLog(QStringLiteral("source of ahead closed: the server is shutting down"))
                 .isEmpty());

        // Every broadcast ended as "shutdown".
        const QList<QVariantList> broadcasts =
            sqliteRows(server.dataDir() + QStringLiteral("/veza.db"),
                       QStringLiteral("SELECT end_reason, ended_at FROM stream_sessions"));
        QCOMPARE(broadcasts.size(), 2);
        for (const QVariantList &row : broadcasts) {
            QCOMPARE(row.at(0).toString(), QStringLiteral("shutdown"));
            QVERIFY(!row.at(1).isNull());
        }

        // The listener history (a server started again on the same database): both visits
        // ended with the shutdown, and each listener received every byte counted for it.
        ServerProcess again;
        again.setEnv(QStringLiteral("DATA_DIR"), server.dataDir());
        again.setEnv(QStringLiteral("DATABASE_URL"),
                     server.environment().value(QStringLiteral("DATABASE_URL")));
        QVERIFY2(again.start(), qPrintable(again.diagnostics()));
        const QByteArray owner = again.token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        const auto visit = [&](const QString &stream) {
            return HttpProbe(again.httpPort())
                .get("/api/streams/" + stream.toUtf8() + "/listeners", 5000,
                     "Authorization: Bearer " + owner + "\r\n")
                .json()
                .value(QStringLiteral("listeners"))
                .toArray()
                .at(0)
                .toObject();
        };
        const QJsonObject behindVisit = visit(QStringLiteral("tone"));
        QCOMPARE(behindVisit.value(QStringLiteral("user_agent")).toString(),
                 QStringLiteral("VezaTest/drain-behind"));
        QCOMPARE(behindVisit.value(QStringLiteral("end_reason")).toString(),
                 QStringLiteral("shutdown"));
        QCOMPARE(behindVisit.value(QStringLiteral("bytes")).toInteger(), behindBody.size());
        const QJsonObject opusVisit = visit(QStringLiteral("ahead"));
        QCOMPARE(opusVisit.value(QStringLiteral("rendition")).toString(),
                 QStringLiteral("opus128"));
        QCOMPARE(opusVisit.value(QStringLiteral("end_reason")).toString(),
                 QStringLiteral("shutdown"));
        QCOMPARE(opusVisit.value(QStringLiteral("bytes")).toInteger(), opusBody.size());
    }
};

QTEST_GUILESS_MAIN(TestGracefulDrain)
#include "tst_graceful_drain.moc"
