// The console's live feed on /monitor against the real binary, with a real ffmpeg source and
// listener: a moderator gets a snapshot, then stream_started when a source goes live,
// listeners events when a listener comes and goes, stats about once a second with the audio
// levels, stream_stopped once the grace period is over; stream entries carry title, owner,
// public and now_playing, stats carry the chat's figures, operators' events (source connected
// and dropped, refusals at a limit, moderation actions, reports) arrive as they happen, and a
// level subscription streams one stream's levels ten times a second; a listener-role token is
// refused with 4403, a bad token or a frame before authenticating with 4401 at once, and a
// client that never authenticates with 4401 after the 10 s window.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "IngestTools.h"
#include "JsonSocket.h"
#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>
#include <QWebSocket>

using namespace veza::testing;

namespace {

// A console on /monitor: a real QWebSocket, every text frame decoded and kept with the time it
// arrived (ms since the client was made), and the time the connection ended.
class MonitorClient : public JsonSocket
{
public:
    enum class TokenIn { Header, Query, Frame, None };

    MonitorClient(quint16 port, const QByteArray &token, TokenIn where = TokenIn::Header)
    {
        QUrl url(QStringLiteral("ws://127.0.0.1:%1/monitor").arg(port));
        if (where == TokenIn::Query)
            url.setQuery(QStringLiteral("access_token=") + QString::fromLatin1(token));
        if (where == TokenIn::Frame) {
            QObject::connect(&socket(), &QWebSocket::connected, &socket(), [this, token] {
                send({{QStringLiteral("type"), QStringLiteral("auth")},
                      {QStringLiteral("token"), QString::fromLatin1(token)}});
            });
        }
        open(url, where == TokenIn::Header ? token : QByteArray());
    }
};

// The entry of `name` in a snapshot's or stats frame's "streams"; empty when absent.
QJsonObject streamIn(const QJsonObject &frame, const QString &name)
{
    for (const QJsonValue &value : frame.value(QStringLiteral("streams")).toArray()) {
        if (value.toObject().value(QStringLiteral("name")).toString() == name)
            return value.toObject();
    }
    return {};
}

} // namespace

class TestMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame and ffprobe are needed");
        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("1"));
        m_server->setEnv(QStringLiteral("MAX_LISTENERS_PER_STREAM"), QStringLiteral("2"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_moderator = m_server->token(QStringLiteral("mod"), QStringLiteral("moderator"));
        m_dj = m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        // Opened now, checked last: it must be closed once its 10 s to authenticate are over.
        m_silent = std::make_unique<MonitorClient>(m_server->webSocketPort(), QByteArray(),
                                                   MonitorClient::TokenIn::None);
    }

    void cleanupTestCase()
    {
        m_silent.reset();
        m_server.reset();
    }

    void moderatorGetsSnapshot()
    {
        MonitorClient monitor(m_server->webSocketPort(), m_moderator);
        const QJsonObject snapshot = monitor.waitFor(QStringLiteral("snapshot"));
        QVERIFY(snapshot.value(QStringLiteral("streams")).isArray());
        QVERIFY(snapshot.value(QStringLiteral("streams")).toArray().isEmpty()); // nothing live
        monitor.send({{QStringLiteral("type"), QStringLiteral("ping")}});
        QVERIFY(!monitor.waitFor(QStringLiteral("pong")).isEmpty());
        monitor.send({{QStringLiteral("type"), QStringLiteral("launch")}});
        QCOMPARE(monitor.waitFor(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
                 QStringLiteral("bad_request"));
    }

    void streamLifeIsReported()
    {
        const QString name = QStringLiteral("mon");
        const QByteArray key = createStream(*m_server, m_dj, name);
        QVERIFY(!key.isEmpty());
        MonitorClient monitor(m_server->webSocketPort(), m_moderator,
                              MonitorClient::TokenIn::Query);
        QVERIFY(!monitor.waitFor(QStringLiteral("snapshot")).isEmpty());

        auto source =
            startTool(QStringLiteral("ffmpeg"),
                      ffmpegToneSource(m_server->httpPort(), key, name, 30,
                                       {QStringLiteral("-c:a"), QStringLiteral("libopus"),
                                        QStringLiteral("-b:a"), QStringLiteral("128k")},
                                       QStringLiteral("audio/ogg"), QStringLiteral("ogg")),
                      true);
        QVERIFY(waitForStreamState(*m_server, m_dj, name, QStringLiteral("live"), 5000));
        const QJsonObject started = monitor.waitFor(QStringLiteral("stream_started"), name, 3000);
        QVERIFY2(!started.isEmpty(), "stream_started within 3 s of going live");
        const double startedAt = started.value(QStringLiteral("started_at")).toDouble();
        QVERIFY(std::abs(startedAt - double(QDateTime::currentMSecsSinceEpoch())) < 10000);

        // A listener comes: its count is reported.
        auto listener = std::make_unique<RawClient>(m_server->httpPort());
        listener->send("GET /live/mon.mp3 HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(listener->read(5000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200"));
        const QJsonObject came = monitor.waitFor(QStringLiteral("listeners"), name, 3000);
        QCOMPARE(came.value(QStringLiteral("listeners")).toInt(), 1);
        QCOMPARE(came.value(QStringLiteral("previous")).toInt(), 0);

        // Stats about once a second, with the stream's figures and levels.
        const qsizetype from = monitor.frames.size();
        QTest::qWait(3500);
        QList<QJsonObject> stats;
        QList<qint64> arrivals;
        for (qsizetype i = from; i < monitor.frames.size(); ++i) {
            if (monitor.frames.at(i).value(QStringLiteral("type")).toString() == u"stats") {
                stats.append(monitor.frames.at(i));
                arrivals.append(monitor.arrivals.at(i));
            }
        }
        QVERIFY2(stats.size() >= 3 && stats.size() <= 4, qPrintable(QString::number(stats.size())));
        for (qsizetype i = 1; i < stats.size(); ++i) {
            const double step = stats.at(i).value(QStringLiteral("at")).toDouble() -
                                stats.at(i - 1).value(QStringLiteral("at")).toDouble();
            QVERIFY2(step > 700 && step < 1300, qPrintable(QString::number(step)));
            const qint64 gap = arrivals.at(i) - arrivals.at(i - 1);
            QVERIFY2(gap > 600 && gap < 1400, qPrintable(QString::number(gap)));
        }
        const QJsonObject figures = streamIn(stats.last(), name);
        QCOMPARE(figures.value(QStringLiteral("listeners")).toInt(), 1);
        QCOMPARE(figures.value(QStringLiteral("started_at")).toDouble(), startedAt);
        QVERIFY(figures.value(QStringLiteral("ingest_bitrate_bps")).toDouble() > 64000);
        const QJsonObject audio = figures.value(QStringLiteral("audio")).toObject();
        const double peak = audio.value(QStringLiteral("levels"))
                                .toObject()
                                .value(QStringLiteral("input"))
                                .toObject()
                                .value(QStringLiteral("peak_dbfs"))
                                .toDouble();
        // A 1/8 sine spread over two channels: about -21 dBFS.
        QVERIFY2(std::abs(peak - -21.07) < 1.5, qPrintable(QString::number(peak)));
        QVERIFY(audio.value(QStringLiteral("effects")).isObject());

        // The listener goes, then the source: reported once the 1 s grace period is over.
        const qsizetype beforeLeaving = monitor.frames.size();
        listener.reset();
        const QJsonObject went =
            monitor.waitFor(QStringLiteral("listeners"), name, 3000, beforeLeaving);
        QCOMPARE(went.value(QStringLiteral("listeners")).toInt(), 0);
        QCOMPARE(went.value(QStringLiteral("previous")).toInt(), 1);
        source->kill();
        source->waitForFinished(5000);
        QVERIFY(!monitor.waitFor(QStringLiteral("stream_stopped"), name, 5000).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            streamIn(monitor.frames.constLast(), name).isEmpty() &&
                monitor.frames.constLast().value(QStringLiteral("type")).toString() == u"stats",
            3000);
    }

    // What an operator needs on one screen: who owns a stream and what is on air, the chat's
    // pulse, and what just happened.
    void operatorsSeeListingsFiguresAndEvents()
    {
        const QString name = QStringLiteral("ops");
        const QByteArray key = createStream(*m_server, m_dj, name);
        QVERIFY(!key.isEmpty());
        QCOMPARE(http("PATCH", "/api/streams/ops", m_dj, {{u"title"_qs, u"Night ops"_qs}}).status,
                 200);
        MonitorClient monitor(m_server->webSocketPort(), m_moderator);
        QVERIFY(!monitor.waitFor(QStringLiteral("snapshot")).isEmpty());

        auto source =
            startTool(QStringLiteral("ffmpeg"),
                      ffmpegToneSource(m_server->httpPort(), key, name, 40,
                                       {QStringLiteral("-c:a"), QStringLiteral("libopus"),
                                        QStringLiteral("-b:a"), QStringLiteral("128k")},
                                       QStringLiteral("audio/ogg"), QStringLiteral("ogg")),
                      true);
        const QJsonObject connected = monitor.waitFor(QStringLiteral("source_connected"), name);
        QCOMPARE(connected.value(QStringLiteral("content_type")).toString(), u"audio/ogg"_qs);
        QCOMPARE(connected.value(QStringLiteral("resumed")).toBool(), false);
        QVERIFY(waitForStreamState(*m_server, m_dj, name, QStringLiteral("live"), 5000));

        // The stream's listing, then the song on air and a change of visibility, as they come.
        const auto entry = [&] { return streamIn(monitor.lastOf(QStringLiteral("stats")), name); };
        QTRY_COMPARE_WITH_TIMEOUT(entry().value(u"title").toString(), u"Night ops"_qs, 5000);
        QCOMPARE(entry().value(u"owner").toString(), u"dj"_qs);
        QCOMPARE(entry().value(u"public").toBool(), true);
        QVERIFY(entry().value(u"now_playing").isNull());
        QCOMPARE(HttpProbe(m_server->httpPort())
                     .get("/admin/metadata?mount=/live/ops&mode=updinfo&artist=Nina&title=Blue",
                          5000,
                          "Authorization: Basic " + QByteArray("source:" + key).toBase64() + "\r\n")
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(entry().value(u"now_playing")[u"title"].toString(),
                                  u"Nina - Blue"_qs, 3000);
        QCOMPARE(http("PATCH", "/api/streams/ops", m_dj, {{u"public"_qs, false}}).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(entry().value(u"public").toBool(), false, 3000);

        // Ten level frames a second for the stream asked for, none once stopped.
        monitor.send({{u"type"_qs, u"subscribe_levels"_qs}, {u"stream"_qs, u"nothing"_qs}});
        QCOMPARE(monitor.waitFor(QStringLiteral("error")).value(u"code").toString(),
                 u"not_found"_qs);
        monitor.send({{u"type"_qs, u"subscribe_levels"_qs}, {u"stream"_qs, name}});
        QVERIFY(!monitor.waitFor(QStringLiteral("levels_subscribed"), name).isEmpty());
        const qsizetype levelsFrom = monitor.frames.size();
        QTest::qWait(2000);
        const int levelFrames = monitor.countOf(QStringLiteral("levels"), levelsFrom);
        QVERIFY2(levelFrames >= 15 && levelFrames <= 22, qPrintable(QString::number(levelFrames)));
        const QJsonObject levels = monitor.lastOf(QStringLiteral("levels"));
        QCOMPARE(levels.value(u"stream").toString(), name);
        const double peak = levels[u"levels"][u"input"][u"peak_dbfs"].toDouble();
        QVERIFY2(std::abs(peak - -21.07) < 1.5, qPrintable(QString::number(peak)));
        monitor.send({{u"type"_qs, u"unsubscribe_levels"_qs}});
        QVERIFY(!monitor.waitFor(QStringLiteral("levels_unsubscribed")).isEmpty());
        const qsizetype stoppedAt = monitor.frames.size();
        QTest::qWait(500);
        QCOMPARE(monitor.countOf(QStringLiteral("levels"), stoppedAt), 0);

        // The chat's pulse: a conversation and a report show in the figures and as events.
        ChatTestClient alice;
        alice.open(m_server->webSocketPort(), m_server->token(u"alice"_qs));
        QVERIFY(alice.waitConnected());
        alice.answerTo(alice.request(u"join"_qs, {{u"room"_qs, u"lobby"_qs}}));
        qint64 messageId = 0;
        for (int i = 0; i < 20; ++i)
            messageId = alice
                            .answerTo(alice.request(
                                u"send"_qs, {{u"room"_qs, u"lobby"_qs},
                                             {u"body"_qs, u"hello %1"_qs.arg(i)},
                                             {u"client_msg_id"_qs,
                                              QUuid::createUuid().toString(QUuid::WithoutBraces)}}))
                            .value(u"message_id")
                            .toInteger();
        QVERIFY(messageId > 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            monitor.lastOf(QStringLiteral("stats"))[u"chat"][u"messages_per_second"].toDouble() > 0,
            3000);
        const QJsonObject chat = monitor.lastOf(QStringLiteral("stats")).value(u"chat").toObject();
        QCOMPARE(chat.value(u"connections").toInt(), 1);
        QCOMPARE(chat.value(u"active_users").toInt(), 1);
        QVERIFY(chat.value(u"delivery_p99_ms").toDouble() > 0);
        QCOMPARE(chat.value(u"rate_limited_per_second").toDouble(), 0.0);
        QCOMPARE(chat.value(u"open_reports").toInt(), 0);
        alice.answerTo(alice.request(u"report"_qs, {{u"room"_qs, u"lobby"_qs},
                                                    {u"message_id"_qs, messageId},
                                                    {u"reason"_qs, u"spam"_qs}}));
        const QJsonObject reported = monitor.waitFor(QStringLiteral("report"));
        QCOMPARE(reported.value(u"message_id").toInteger(), messageId);
        QTRY_COMPARE_WITH_TIMEOUT(
            monitor.lastOf(QStringLiteral("stats"))[u"chat"][u"open_reports"].toInt(), 1, 8000);

        // A moderation action over HTTP is an event at once.
        QCOMPARE(
            http("POST", "/api/moderation/actions", m_moderator,
                 {{u"action"_qs, u"slow_mode"_qs}, {u"room"_qs, u"lobby"_qs}, {u"seconds"_qs, 5}})
                .status,
            200);
        const QJsonObject slow = monitor.waitFor(QStringLiteral("moderation"));
        QCOMPARE(slow.value(u"action").toString(), u"slow_mode"_qs);
        QCOMPARE(slow.value(u"seconds").toInt(), 5);

        // A listener refused at MAX_LISTENERS_PER_STREAM (2 here).
        // One after the other (an idle rendition starts its encoder for the first; slow on a
        // loaded machine).
        RawClient first(m_server->httpPort()), second(m_server->httpPort()),
            third(m_server->httpPort());
        const auto head = [](RawClient &client) {
            client.send("GET /live/ops.mp3 HTTP/1.1\r\nHost: x\r\n\r\n");
            return client.read(15000, 4096, "\r\n\r\n");
        };
        QVERIFY(head(first).startsWith("HTTP/1.1 200"));
        QVERIFY(head(second).startsWith("HTTP/1.1 200"));
        QVERIFY(head(third).startsWith("HTTP/1.1 503"));
        const QJsonObject refused = monitor.waitFor(QStringLiteral("refused"), name);
        QCOMPARE(refused.value(u"who").toString(), u"listener"_qs);
        QCOMPARE(refused.value(u"reason").toString(), u"max_listeners"_qs);
        QCOMPARE(refused.value(u"address").toString(), u"127.0.0.1"_qs);

        // A moderator cuts the source: the action, then the drop, both as events; counted.
        const qsizetype beforeCut = monitor.frames.size();
        QCOMPARE(http("POST", "/api/streams/ops/source/disconnect", m_moderator,
                      {{u"reason"_qs, u"copyright"_qs}})
                     .status,
                 200);
        const QJsonObject cut = monitor.waitFor(QStringLiteral("moderation"), {}, 5000, beforeCut);
        QCOMPARE(cut.value(u"action").toString(), u"cut_source"_qs);
        QCOMPARE(cut.value(u"by").toString(), u"mod"_qs);
        QCOMPARE(cut.value(u"user").toString(), u"dj"_qs);
        QCOMPARE(cut.value(u"reason").toString(), u"copyright"_qs);
        QVERIFY(
            !monitor.waitFor(QStringLiteral("source_dropped"), name, 5000, beforeCut).isEmpty());
        QCOMPARE(scrapeMetric(m_server->metricsPort(),
                              "moderation_actions_total{action=\"cut_source\"}"),
                 1.0);
        source->kill();
        source->waitForFinished(5000);
    }

    void adminMayAuthenticateWithFrame()
    {
        const QByteArray admin = m_server->token(QStringLiteral("boss"), QStringLiteral("admin"));
        MonitorClient monitor(m_server->webSocketPort(), admin, MonitorClient::TokenIn::Frame);
        QVERIFY(!monitor.waitFor(QStringLiteral("snapshot")).isEmpty());
    }

    void othersAreRefused()
    {
        const quint16 port = m_server->webSocketPort();
        MonitorClient listener(port,
                               m_server->token(QStringLiteral("fan"), QStringLiteral("listener")));
        QCOMPARE(listener.waitClosed(), 4403);
        QCOMPARE(listener.frames.value(0).value(QStringLiteral("code")).toString(),
                 QStringLiteral("forbidden"));
        QVERIFY(listener.waitFor(QStringLiteral("snapshot"), {}, 0).isEmpty());

        MonitorClient broadcaster(port, m_dj, MonitorClient::TokenIn::Frame);
        QCOMPARE(broadcaster.waitClosed(), 4403);

        MonitorClient forged(port, "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl");
        QCOMPARE(forged.waitClosed(), 4401);
        QCOMPARE(forged.frames.value(0).value(QStringLiteral("code")).toString(),
                 QStringLiteral("unauthorized"));

        MonitorClient eager(port, {}, MonitorClient::TokenIn::None);
        QVERIFY(QTest::qWaitFor(
            [&] { return eager.socket().state() == QAbstractSocket::ConnectedState; }, 5000));
        eager.send({{QStringLiteral("type"), QStringLiteral("ping")}});
        QCOMPARE(eager.waitClosed(), 4401);
    }

    void silentClientIsClosedAfterTenSeconds()
    {
        QCOMPARE(m_silent->waitClosed(15000), 4401);
        QVERIFY2(m_silent->closedAtMs >= 10000, qPrintable(QString::number(m_silent->closedAtMs)));
        QCOMPARE(m_silent->frames.value(0).value(QStringLiteral("message")).toString(),
                 QStringLiteral("no access token within 10 s"));
    }

private:
    HttpReply http(const QByteArray &method, const QByteArray &path, const QByteArray &token,
                   const QJsonObject &body)
    {
        return HttpProbe(m_server->httpPort())
            .request(method, path, QJsonDocument(body).toJson(QJsonDocument::Compact), 5000,
                     "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n");
    }

    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<MonitorClient> m_silent;
    QByteArray m_moderator;
    QByteArray m_dj;
};

QTEST_GUILESS_MAIN(TestMonitor)
#include "tst_monitor.moc"
