// Icecast-compatible ingest against the real binary with the real ffmpeg: an MP3 sine pushed
// through ffmpeg's icecast protocol is seen by ffprobe, decodes to 440 Hz for a listener, shows
// live with its listeners in /api/streams, carries the title set through /admin/metadata (in
// every form encoders send, never breaking the ICY field); a wrong key and a second source are
// refused, a rotated key cuts its live source; listeners stay through the grace period, and the
// session row is written when the stream ends.
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace veza::testing;

class TestIngest : public QObject
{
    Q_OBJECT

private:
    QJsonObject stream(const QString &name)
    {
        HttpProbe probe(m_server->httpPort());
        return probe
            .get("/api/streams/" + name.toUtf8(), 5000, "Authorization: Bearer " + m_token + "\r\n")
            .json();
    }

    bool waitForState(const QString &name, const QString &state, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (stream(name).value(QStringLiteral("state")).toString() == state)
                return true;
            QTest::qWait(100);
        }
        return false;
    }

    // A raw PUT to the mount; the answer's head.
    QByteArray putSource(const QString &name, const QByteArray &key)
    {
        RawClient client(m_server->httpPort());
        client.send("PUT /live/" + name.toUtf8() +
                    " HTTP/1.1\r\nHost: x\r\nContent-Type: audio/mpeg\r\n"
                    "Expect: 100-continue\r\n" +
                    sourceAuth(key) + "\r\n");
        return client.read(5000, 4096, "\r\n\r\n");
    }

    // The ended session of the stream: peak listeners, bytes in, bytes out (empty until it is
    // written).
    QList<qint64> endedSession()
    {
        QList<qint64> row;
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(m_server->dataDir() + QStringLiteral("/veza.db"));
            QSqlQuery query(db);
            if (db.open() &&
                query.exec(QStringLiteral("SELECT peak_listeners, bytes_in, bytes_out FROM "
                                          "stream_sessions WHERE ended_at IS NOT NULL")) &&
                query.next())
                row = {query.value(0).toLongLong(), query.value(1).toLongLong(),
                       query.value(2).toLongLong()};
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        return row;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame and ffprobe are needed");
        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("2"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_token = m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        m_key = createStream(*m_server, m_token, QStringLiteral("tone"));
        QVERIFY(!m_key.isEmpty());
    }

    void cleanupTestCase() { m_server.reset(); }

    void wrongKeyIsRefusedAndStreamStaysOffline()
    {
        const QByteArray key = createStream(*m_server, m_token, QStringLiteral("quiet"));
        QVERIFY(!key.isEmpty());
        const QByteArray head = putSource(QStringLiteral("quiet"), "vzs_wrong");
        QVERIFY2(head.startsWith("HTTP/1.1 401"), head.constData());
        QVERIFY(head.contains("WWW-Authenticate: Basic realm=\"Icecast2 Server\""));
        QVERIFY(putSource(QStringLiteral("no-such-stream"), key).startsWith("HTTP/1.1 404"));
        QCOMPARE(stream(QStringLiteral("quiet")).value(QStringLiteral("state")).toString(),
                 QStringLiteral("offline"));
    }

    void ffmpegSourceIsHeard()
    {
        // 20 s rather than 8: ffprobe, the 3 s recording below and the title cases must fit.
        m_source = startTool(QStringLiteral("ffmpeg"),
                             ffmpegSineSource(m_server->httpPort(), m_key, "tone", 20), true);
        QVERIFY(waitForState(QStringLiteral("tone"), QStringLiteral("live"), 5000));
        const QString url =
            QStringLiteral("http://127.0.0.1:%1/live/tone").arg(m_server->httpPort());

        // A second source on the live mount is refused; the first goes on.
        const QByteArray second = putSource(QStringLiteral("tone"), m_key);
        QVERIFY2(second.startsWith("HTTP/1.1 403"), second.constData());
        QVERIFY(second.contains("mount in use"));

        auto probe =
            startTool(QStringLiteral("ffprobe"),
                      {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-probesize"),
                       QStringLiteral("32768"), QStringLiteral("-show_entries"),
                       QStringLiteral("stream=codec_name,sample_rate"), QStringLiteral("-of"),
                       QStringLiteral("json"), url});
        QVERIFY(probe->waitForFinished(15000));
        const QJsonObject found = QJsonDocument::fromJson(probe->readAllStandardOutput())
                                      .object()
                                      .value(QStringLiteral("streams"))
                                      .toArray()
                                      .at(0)
                                      .toObject();
        QCOMPARE(found.value(QStringLiteral("codec_name")).toString(), QStringLiteral("mp3"));
        QCOMPARE(found.value(QStringLiteral("sample_rate")).toString(), QStringLiteral("44100"));

        auto recorder =
            startTool(QStringLiteral("ffmpeg"),
                      {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                       QStringLiteral("error"), QStringLiteral("-i"), url, QStringLiteral("-t"),
                       QStringLiteral("3"), QStringLiteral("-f"), QStringLiteral("s16le"),
                       QStringLiteral("-ac"), QStringLiteral("1"), QStringLiteral("-ar"),
                       QStringLiteral("8000"), QStringLiteral("-")});
        QTest::qWait(1000);
        const QJsonObject live = stream(QStringLiteral("tone"));
        QCOMPARE(live.value(QStringLiteral("state")).toString(), QStringLiteral("live"));
        QVERIFY(live.value(QStringLiteral("listeners")).toInt() >= 1);
        QVERIFY(live.value(QStringLiteral("started_at")).toDouble() > 0);
        QVERIFY(recorder->waitForFinished(15000));
        const QByteArray pcm = recorder->readAllStandardOutput();
        QVERIFY2(pcm.size() >= 8000 * 2 * 2, qPrintable(QString::number(pcm.size())));
        const double tone = tonePower(pcm, 8000, 440);
        QVERIFY(tone > 20 * tonePower(pcm, 8000, 340));
        QVERIFY(tone > 20 * tonePower(pcm, 8000, 540));
        const QJsonObject after = stream(QStringLiteral("tone"));
        QVERIFY2(after.value(QStringLiteral("ingest_bitrate_bps")).toDouble() > 64000,
                 QJsonDocument(after).toJson().constData());
    }

    // Titles as encoders send them: form-encoded, as Icecast's artist and title pair, in another
    // charset; whatever the title holds, ICY listeners see one StreamTitle field.
    void titleUpdateReachesIcyListeners_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("field");
        QTest::newRow("percent-encoded")
            << QByteArray("song=Night%20tune") << QByteArray("StreamTitle='Night tune';");
        QTest::newRow("plus is a space") << QByteArray("song=Night+tune+%E2%99%AB")
                                         << QByteArray("StreamTitle='Night tune \xE2\x99\xAB';");
        QTest::newRow("artist and title") << QByteArray("artist=Nina+Simone&title=Sinnerman")
                                          << QByteArray("StreamTitle='Nina Simone - Sinnerman';");
        QTest::newRow("latin-1 charset") << QByteArray("song=Caf%E9&charset=ISO-8859-1")
                                         << QByteArray("StreamTitle='Caf\xC3\xA9';");
        QTest::newRow("injection")
            << QByteArray("song=Hit%27%3BStreamUrl%3D%27http%3A%2F%2Fevil%2F%27%3B%0D%0A")
            << QByteArray("StreamTitle='Hit\xE2\x80\x99;StreamUrl=\xE2\x80\x99http://evil/"
                          "\xE2\x80\x99;';");
    }

    void titleUpdateReachesIcyListeners()
    {
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, field);
        HttpProbe admin(m_server->httpPort());
        const HttpReply update = admin.get("/admin/metadata?mount=/live/tone&mode=updinfo&" + query,
                                           5000, sourceAuth(m_key));
        QCOMPARE(update.status, 200);
        QVERIFY(update.body.contains("Metadata update successful"));
        // The stream object shows the song on air (as set: the ICY field escapes quotes).
        const QJsonObject nowPlaying =
            stream(QStringLiteral("tone")).value(QStringLiteral("now_playing")).toObject();
        QCOMPARE(nowPlaying.value(QStringLiteral("title"))
                     .toString()
                     .toUtf8()
                     .replace('\'', "\xE2\x80\x99"),
                 field.mid(13, field.size() - 15));
        QVERIFY(nowPlaying.value(QStringLiteral("at")).toInteger() > 0);

        RawClient listener(m_server->httpPort());
        listener.send("GET /live/tone HTTP/1.1\r\nHost: x\r\nIcy-MetaData: 1\r\n\r\n");
        const QByteArray head = listener.read(5000, 4096, "\r\n\r\n");
        QVERIFY2(head.contains("icy-metaint: 16000"), head.constData());
        QVERIFY(head.contains("Content-Type: audio/mpeg"));
        QVERIFY(head.contains("icy-name: Test tone"));
        QVERIFY(!head.toLower().contains("content-length"));
        QByteArray body = head.mid(head.indexOf("\r\n\r\n") + 4);
        body += listener.read(8000, 16000 + 1 + 4080 - body.size());
        QVERIFY2(body.size() >= 16001, qPrintable(QString::number(body.size())));
        const int units = quint8(body.at(16000));
        QCOMPARE(units, int((field.size() + 15) / 16));
        const QByteArray block = body.mid(16001, units * 16);
        QCOMPARE(block.left(block.indexOf('\0') < 0 ? block.size() : block.indexOf('\0')), field);
    }

    void metadataWithoutTitleIsRefused()
    {
        HttpProbe admin(m_server->httpPort());
        const HttpReply none =
            admin.get("/admin/metadata?mount=/live/tone&mode=updinfo", 5000, sourceAuth(m_key));
        QCOMPARE(none.status, 400);
        QVERIFY2(none.body.contains("song, or artist and title, required"), none.body);
        HttpProbe again(m_server->httpPort());
        const HttpReply charset =
            again.get("/admin/metadata?mount=/live/tone&mode=updinfo&song=x&charset=klingon", 5000,
                      sourceAuth(m_key));
        QCOMPARE(charset.status, 400);
        QVERIFY2(charset.body.contains("unknown charset klingon"), charset.body);
    }

    void listenersStayDuringGracePeriod()
    {
        RawClient listener(m_server->httpPort());
        listener.send("GET /live/tone HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(listener.read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));
        QVERIFY(m_source->waitForFinished(25000)); // the 20 s of audio are over
        QTest::qWait(500);
        QCOMPARE(stream(QStringLiteral("tone")).value(QStringLiteral("state")).toString(),
                 QStringLiteral("live"));
        QVERIFY(!listener.waitForClose(700)); // still connected within the 2 s grace
        QVERIFY(listener.waitForClose(5000)); // then the stream ends
        QVERIFY(waitForState(QStringLiteral("tone"), QStringLiteral("offline"), 2000));
        const quint16 metrics = m_server->metricsPort();
        QVERIFY(scrapeMetric(metrics, "stream_source_disconnects_total") >= 1);
        QVERIFY(scrapeMetric(metrics, "stream_refused_total{reason=\"mount_in_use\"}") >= 1);

        QList<qint64> session;
        QTRY_VERIFY_WITH_TIMEOUT(!(session = endedSession()).isEmpty(), 5000);
        QVERIFY(session[0] >= 1);                  // peak listeners
        QVERIFY(session[1] > 14 * 16000 * 8 / 10); // bytes in: most of 14 s at 128 kbit/s
        QVERIFY(session[2] > 16000);               // bytes out
    }

    // protocol.md: a rotated key stops working at once, for a source live with it too. The
    // stream keeps its grace period, and the new key takes the mount back.
    void keyRotationDisconnectsTheLiveSource()
    {
        const QString name = QStringLiteral("rotating");
        const QByteArray oldKey = createStream(*m_server, m_token, name);
        QVERIFY(!oldKey.isEmpty());
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(m_server->httpPort(), oldKey, name, 30), true);
        QVERIFY(waitForState(name, QStringLiteral("live"), 5000));
        RawClient listener(m_server->httpPort());
        listener.send("GET /live/rotating HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(listener.read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));

        HttpProbe api(m_server->httpPort());
        const HttpReply rotated = api.request("POST", "/api/streams/rotating/key", {}, 5000,
                                              "Authorization: Bearer " + m_token + "\r\n");
        QCOMPARE(rotated.status, 200);
        const QByteArray newKey =
            rotated.json().value(QStringLiteral("stream_key")).toString().toUtf8();
        QVERIFY(source->waitForFinished(5000)); // ffmpeg sees its connection cut
        // The log line is read from the server's stdout as the event loop runs.
        QTRY_VERIFY(!m_server
                         ->findLog(QStringLiteral("source of rotating disconnected: its stream "
                                                  "key was rotated"))
                         .isEmpty());
        QCOMPARE(stream(name).value(QStringLiteral("state")).toString(), QStringLiteral("live"));
        QVERIFY(putSource(name, oldKey).startsWith("HTTP/1.1 401"));

        auto next = startTool(QStringLiteral("ffmpeg"),
                              ffmpegSineSource(m_server->httpPort(), newKey, name, 4), true);
        QTest::qWait(1500);
        QCOMPARE(next->state(), QProcess::Running); // accepted, within the grace period
        QVERIFY(!listener.waitForClose(500));       // the listener never left
        next->kill();
        next->waitForFinished(5000);
    }

    // An owner, an admin or a moderator cuts the live source off without ending the stream,
    // and may block the mount for a while; a moderator's cut (and end) is audited.
    void sourceIsCutOffAndBlockedWithoutEndingTheStream()
    {
        const QString name = QStringLiteral("cutme");
        const QByteArray key = createStream(*m_server, m_token, name);
        QVERIFY(!key.isEmpty());
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(m_server->httpPort(), key, name, 30), true);
        QVERIFY(waitForState(name, QStringLiteral("live"), 5000));
        const auto post = [this](const QByteArray &token, const QByteArray &body) {
            HttpProbe api(m_server->httpPort());
            return api.request("POST", "/api/streams/cutme/source/disconnect", body, 5000,
                               "Authorization: Bearer " + token + "\r\n");
        };
        QCOMPARE(post(m_server->token(QStringLiteral("someone")), "{}").status, 403);
        const QByteArray moderator =
            m_server->token(QStringLiteral("mod"), QStringLiteral("moderator"));
        QCOMPARE(post(moderator, R"({"block_seconds":-1})").status, 400);
        QCOMPARE(post(moderator, R"({"block_seconds":86401})").status, 400);
        QCOMPARE(stream(name).value(QStringLiteral("state")).toString(), QStringLiteral("live"));
        const HttpReply cut = post(moderator, R"({"block_seconds":3,"reason":"off-topic"})");
        QCOMPARE(cut.status, 200);
        QCOMPARE(cut.json().value(QStringLiteral("was_live")).toBool(), true);
        QVERIFY(source->waitForFinished(5000)); // ffmpeg sees its connection cut
        QCOMPARE(stream(name).value(QStringLiteral("state")).toString(), QStringLiteral("live"));
        const QByteArray blocked = putSource(name, key);
        QVERIFY2(blocked.startsWith("HTTP/1.1 403") && blocked.contains("source blocked for"),
                 blocked.constData());

        HttpProbe log(m_server->httpPort());
        const QJsonObject audit = log.get("/api/moderation/actions?action=cut_source", 5000,
                                          "Authorization: Bearer " + moderator + "\r\n")
                                      .json()
                                      .value(QStringLiteral("actions"))
                                      .toArray()
                                      .first()
                                      .toObject();
        QCOMPARE(audit.value(QStringLiteral("target")).toString(), QStringLiteral("dj"));
        QCOMPARE(audit.value(QStringLiteral("reason")).toString(), QStringLiteral("off-topic"));
        QCOMPARE(
            audit.value(QStringLiteral("params")).toObject(),
            QJsonObject({{QStringLiteral("stream"), name}, {QStringLiteral("block_seconds"), 3}}));

        // Once the block is over the key works again; a moderator may end the stream too.
        QTest::qWait(3200);
        auto again = startTool(QStringLiteral("ffmpeg"),
                               ffmpegSineSource(m_server->httpPort(), key, name, 10), true);
        QVERIFY(waitForState(name, QStringLiteral("live"), 5000));
        HttpProbe end(m_server->httpPort());
        QCOMPARE(end.request("DELETE", "/api/streams/cutme", {}, 5000,
                             "Authorization: Bearer " + moderator + "\r\n")
                     .status,
                 204);
        QVERIFY(again->waitForFinished(5000));
        HttpProbe log2(m_server->httpPort());
        QCOMPARE(log2.get("/api/moderation/actions?action=end_stream", 5000,
                          "Authorization: Bearer " + moderator + "\r\n")
                     .json()
                     .value(QStringLiteral("actions"))
                     .toArray()
                     .size(),
                 1);
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<QProcess> m_source;
    QByteArray m_token;
    QByteArray m_key;
};

QTEST_GUILESS_MAIN(TestIngest)
#include "tst_ingest.moc"
