// Integration tests of StreamStore (definitions, soft delete, keys, sessions, listener history),
// of the ListenerLog's batches and of schemas 4 and 5; every case runs on SQLite and on a
// throwaway PostgreSQL (see tests/storage/StorageTestBase.h).
#include "storage/Migrator.h"
#include "storage/Sql.h"
#include "storage/StorageError.h"
#include "storage/StorageTestBase.h"
#include "streaming/ListenerLog.h"
#include "streaming/StreamKey.h"
#include "streaming/StreamStore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <thread>

using namespace veza::storage;
using namespace veza::streaming;

namespace {

constexpr qint64 t0 = 1'700'000'000'000;

qint64 insertUser(Database &db, const QString &name)
{
    return veza::testing::insertUser(db, name, t0);
}

NewStream newStream(const QString &name, qint64 owner, bool isPublic = true)
{
    NewStream s;
    s.name = name;
    s.ownerId = owner;
    s.title = QStringLiteral("Title of ") + name;
    s.description = QStringLiteral("about ") + name;
    s.genre = QStringLiteral("jazz");
    s.isPublic = isPublic;
    return s;
}

std::optional<StreamInfo> create(Database &db, const NewStream &stream, const QByteArray &hash,
                                 qint64 at = t0)
{
    return db.run([=](QSqlDatabase &c) { return StreamStore::create(c, stream, hash, at); })
        .result();
}

std::optional<StreamInfo> find(Database &db, const QString &name)
{
    return db.run([name](QSqlDatabase &c) { return StreamStore::find(c, name); }).result();
}

// A connection of the test thread to the database of `options`, for work before Database::open.
QSqlDatabase openDirectly(const DatabaseOptions &options, const QString &connection)
{
    const DatabaseUrl &url = options.url;
    QSqlDatabase c = QSqlDatabase::addDatabase(url.driverName(), connection);
    if (url.isSqlite()) {
        c.setDatabaseName(url.sqlitePath());
    } else {
        c.setHostName(url.host());
        c.setPort(url.port());
        c.setUserName(url.userName());
        c.setPassword(url.password());
        c.setDatabaseName(url.databaseName());
    }
    if (c.open() && url.isSqlite())
        sql::exec(c, QStringLiteral("PRAGMA foreign_keys=ON"));
    return c;
}

ListenerRecord visit(qint64 streamId, qint64 connectedAt, const QString &userAgent = {})
{
    ListenerRecord r;
    r.streamId = streamId;
    r.streamName = QStringLiteral("radio");
    r.kind = ListenerKind::Http;
    r.rendition = QStringLiteral("source");
    r.connectedAtMs = connectedAt;
    r.endedAtMs = connectedAt + 500;
    r.bytes = 1000;
    r.userAgent = userAgent;
    r.address = QStringLiteral("192.0.2.7");
    r.endReason = ListenerEndReason::Left;
    return r;
}

int addVisits(Database &db, const QList<ListenerRecord> &records)
{
    return db.run([records](QSqlDatabase &c) { return StreamStore::addListenerVisits(c, records); })
        .result();
}

QList<ListenerVisit> visits(Database &db, qint64 streamId, int limit,
                            std::optional<qint64> before = std::nullopt)
{
    return db
        .run([=](QSqlDatabase &c) {
            return StreamStore::listenerVisits(c, streamId, limit, before);
        })
        .result();
}

// A user "alice" and her stream "radio", the set-up most cases start from.
std::optional<StreamInfo> aliceRadio(Database &db)
{
    const qint64 alice = insertUser(db, QStringLiteral("alice"));
    return create(db, newStream(QStringLiteral("radio"), alice), "h");
}

int purgeVisits(Database &db, qint64 beforeMs, int maxRows)
{
    return db
        .run(
            [=](QSqlDatabase &c) { return StreamStore::purgeListenerVisits(c, beforeMs, maxRows); })
        .result();
}

QList<qint64> idsOf(const QList<ListenerVisit> &list)
{
    QList<qint64> ids;
    for (const ListenerVisit &v : list)
        ids << v.id;
    return ids;
}

QStringList names(Database &db, const StreamFilter &filter)
{
    const QList<StreamInfo> list =
        db.run([filter](QSqlDatabase &c) { return StreamStore::list(c, filter); }).result();
    QStringList result;
    for (const StreamInfo &s : list)
        result << s.name;
    return result;
}

} // namespace

class TestStreamStore : public veza::testing::StorageTestBase
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(ensurePostgres(), qPrintable(m_pg.errorString())); }

    void createAndFind_data() { addBackendRows(); }
    void createAndFind()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const QByteArray hash = StreamKey::hash(StreamKey::generate());
        const auto created = create(*db, newStream(QStringLiteral("radio"), alice), hash);
        QVERIFY(created);
        QVERIFY(created->id > 0);
        QCOMPARE(created->ownerName, QStringLiteral("alice"));
        QCOMPARE(created->createdAtMs, t0);
        QCOMPARE(created->keyCreatedAtMs, t0);

        const auto found = find(*db, QStringLiteral("radio"));
        QVERIFY(found);
        QCOMPARE(found->id, created->id);
        QCOMPARE(found->ownerId, alice);
        QCOMPARE(found->title, QStringLiteral("Title of radio"));
        QCOMPARE(found->description, QStringLiteral("about radio"));
        QCOMPARE(found->genre, QStringLiteral("jazz"));
        QVERIFY(found->isPublic);
        QVERIFY(!find(*db, QStringLiteral("nothing")));
        const auto stored = db->run([](QSqlDatabase &c) {
                                  return StreamStore::keyHash(c, QStringLiteral("radio"));
                              }).result();
        QCOMPARE(stored, std::optional<QByteArray>(hash));
    }

    void nameTakenUntilDeleted_data() { addBackendRows(); }
    void nameTakenUntilDeleted()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const qint64 bob = insertUser(*db, QStringLiteral("bob"));
        const auto first = create(*db, newStream(QStringLiteral("radio"), alice), "h1");
        QVERIFY(first);
        QVERIFY(!create(*db, newStream(QStringLiteral("radio"), bob), "h2"));

        QVERIFY(db->run([id = first->id](QSqlDatabase &c) {
                      return StreamStore::remove(c, id, t0 + 10);
                  }).result());
        QVERIFY(!find(*db, QStringLiteral("radio")));
        QVERIFY(!db->run([](QSqlDatabase &c) {
                       return StreamStore::keyHash(c, QStringLiteral("radio"));
                   }).result());
        QVERIFY(!db->run([id = first->id](QSqlDatabase &c) {
                       return StreamStore::remove(c, id, t0 + 20);
                   }).result());
        QVERIFY(!db->run([id = first->id](QSqlDatabase &c) {
                       return StreamStore::rotateKey(c, id, "h3", t0 + 20);
                   }).result());

        const auto second = create(*db, newStream(QStringLiteral("radio"), bob), "h2", t0 + 30);
        QVERIFY(second);
        QVERIFY(second->id != first->id);
        QCOMPARE(find(*db, QStringLiteral("radio"))->ownerName, QStringLiteral("bob"));
        // The deleted row is kept (soft delete) for the session history.
        const qint64 rows = db->run([](QSqlDatabase &c) {
                                  return sql::scalar(c,
                                                     QStringLiteral("SELECT COUNT(*) FROM "
                                                                    "streams WHERE name = ?"),
                                                     {QStringLiteral("radio")})
                                      .toLongLong();
                              }).result();
        QCOMPARE(rows, 2);
    }

    void listFilters_data() { addBackendRows(); }
    void listFilters()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const qint64 bob = insertUser(*db, QStringLiteral("bob"));
        QVERIFY(create(*db, newStream(QStringLiteral("b-public"), alice), "h"));
        QVERIFY(create(*db, newStream(QStringLiteral("a-unlisted"), alice, false), "h"));
        QVERIFY(create(*db, newStream(QStringLiteral("c-bob"), bob), "h"));
        QVERIFY(create(*db, newStream(QStringLiteral("d-bob-unlisted"), bob, false), "h"));
        const auto gone = create(*db, newStream(QStringLiteral("e-gone"), bob), "h");
        QVERIFY(gone);
        QVERIFY(db->run([id = gone->id](QSqlDatabase &c) {
                      return StreamStore::remove(c, id, t0);
                  }).result());

        QCOMPARE(names(*db, {}),
                 QStringList({QStringLiteral("a-unlisted"), QStringLiteral("b-public"),
                              QStringLiteral("c-bob"), QStringLiteral("d-bob-unlisted")}));
        StreamFilter publicOnly;
        publicOnly.publicOnly = true;
        QCOMPARE(names(*db, publicOnly),
                 QStringList({QStringLiteral("b-public"), QStringLiteral("c-bob")}));
        StreamFilter aliceView = publicOnly;
        aliceView.orOwnedBy = alice;
        QCOMPARE(names(*db, aliceView),
                 QStringList({QStringLiteral("a-unlisted"), QStringLiteral("b-public"),
                              QStringLiteral("c-bob")}));
        StreamFilter bobs;
        bobs.ownerId = bob;
        QCOMPARE(names(*db, bobs),
                 QStringList({QStringLiteral("c-bob"), QStringLiteral("d-bob-unlisted")}));
    }

    // A stream's effects settings are kept with it: none at first, the saved JSON after, none
    // once deleted.
    void effectsAreStoredWithTheStream_data() { addBackendRows(); }
    void effectsAreStoredWithTheStream()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const auto stream = create(*db, newStream(QStringLiteral("radio"), alice),
                                   StreamKey::hash(StreamKey::generate()));
        QVERIFY(stream);
        const auto read = [&db, id = stream->id] {
            return db->run([id](QSqlDatabase &c) { return StreamStore::effects(c, id); }).result();
        };
        QVERIFY(read().isEmpty());
        const QJsonObject effects{{QStringLiteral("gain_db"), -6}, {QStringLiteral("mute"), false}};
        QVERIFY(db->run([id = stream->id, effects](QSqlDatabase &c) {
                      return StreamStore::saveEffects(c, id, effects, t0 + 9);
                  }).result());
        QCOMPARE(read(), effects);
        QCOMPARE(find(*db, QStringLiteral("radio"))->updatedAtMs, t0 + 9);
        QVERIFY(db->run([id = stream->id](QSqlDatabase &c) {
                      return StreamStore::remove(c, id, t0 + 10);
                  }).result());
        QVERIFY(!db->run([id = stream->id, effects](QSqlDatabase &c) {
                       return StreamStore::saveEffects(c, id, effects, t0 + 11);
                   }).result());
        QVERIFY(read().isEmpty());
    }

    void rotateKey_data() { addBackendRows(); }
    void rotateKey()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const QByteArray oldKey = StreamKey::generate();
        const auto stream =
            create(*db, newStream(QStringLiteral("radio"), alice), StreamKey::hash(oldKey));
        QVERIFY(stream);
        const QByteArray newKey = StreamKey::generate();
        QVERIFY(db->run([id = stream->id, hash = StreamKey::hash(newKey)](QSqlDatabase &c) {
                      return StreamStore::rotateKey(c, id, hash, t0 + 5);
                  }).result());
        const auto stored = db->run([](QSqlDatabase &c) {
                                  return StreamStore::keyHash(c, QStringLiteral("radio"));
                              }).result();
        QVERIFY(stored);
        QVERIFY(StreamKey::verify(newKey, *stored));
        QVERIFY(!StreamKey::verify(oldKey, *stored));
        const auto after = find(*db, QStringLiteral("radio"));
        QCOMPARE(after->keyCreatedAtMs, t0 + 5);
        QCOMPARE(after->updatedAtMs, t0 + 5);
        QCOMPARE(after->createdAtMs, t0);
    }

    void sessions_data() { addBackendRows(); }
    void sessions()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const auto stream = aliceRadio(*db);
        QVERIFY(stream);
        const qint64 id = stream->id;
        const qint64 first = db->run([id](QSqlDatabase &c) {
                                   return StreamStore::startSession(c, id, t0);
                               }).result();
        QVERIFY(db->run([first](QSqlDatabase &c) {
                      return StreamStore::endSession(c, first, t0 + 1000, 12, 5000, 60000,
                                                     StreamEndReason::SourceLeft);
                  }).result());
        QVERIFY(!db->run([first](QSqlDatabase &c) {
                       return StreamStore::endSession(c, first, t0 + 2000, 1, 1, 1,
                                                      StreamEndReason::Shutdown);
                   }).result());
        const qint64 second = db->run([id](QSqlDatabase &c) {
                                    return StreamStore::startSession(c, id, t0 + 3000);
                                }).result();

        // A session left open (the source's server crashed) ends when the next one starts.
        const qint64 third = db->run([id](QSqlDatabase &c) {
                                   return StreamStore::startSession(c, id, t0 + 3500);
                               }).result();
        QVERIFY(third != second);

        QList<StreamSession> list =
            db->run([id](QSqlDatabase &c) { return StreamStore::sessions(c, id); }).result();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(1).id, second);
        QCOMPARE(list.at(1).endedAtMs, std::optional<qint64>(t0 + 3500));
        QCOMPARE(list.at(1).endReason, QStringLiteral("interrupted"));
        list.removeAt(1);
        QCOMPARE(list.at(0).id, third);
        QVERIFY(!list.at(0).endedAtMs);
        QCOMPARE(list.at(1).id, first);
        QCOMPARE(list.at(1).endedAtMs, std::optional<qint64>(t0 + 1000));
        QCOMPARE(list.at(1).peakListeners, 12);
        QCOMPARE(list.at(1).bytesIn, 5000);
        QCOMPARE(list.at(1).bytesOut, 60000);
        QCOMPARE(list.at(1).endReason, QStringLiteral("source_left"));
        QCOMPARE(list.at(0).endReason, QString()); // live

        // Ending the stream closes the open session and keeps the history.
        QVERIFY(db->run([id](QSqlDatabase &c) {
                      return StreamStore::remove(c, id, t0 + 4000);
                  }).result());
        list = db->run([id](QSqlDatabase &c) { return StreamStore::sessions(c, id); }).result();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(0).endedAtMs, std::optional<qint64>(t0 + 4000));
        QCOMPARE(list.at(0).endReason, QStringLiteral("deleted"));
    }

    // A database at schema 3 with a stream and a session (tables of schema 1) keeps them
    // through schema 4, which rebuilds (SQLite) or alters (PostgreSQL) both tables.
    void upgradeKeepsStreams_data() { addBackendRows(); }
    void upgradeKeepsStreams()
    {
        QFETCH(QString, backend);
        const auto options = fresh(backend);
        QVERIFY(options);
        const QString connection = QStringLiteral("upgrade-") + backend;
        {
            QSqlDatabase c = openDirectly(*options, connection);
            QVERIFY2(c.isOpen(), qPrintable(c.lastError().text()));
            QList<Migrator::Migration> migrations = Migrator(options->url.backend()).migrations();
            while (!migrations.isEmpty() && migrations.last().version > 3)
                migrations.removeLast();
            QCOMPARE(migrations.size(), 3);
            QCOMPARE(Migrator(migrations).migrate(c), std::nullopt);
            const qint64 alice =
                sql::scalar(c,
                            QStringLiteral("INSERT INTO users (name, created_at) VALUES (?, ?) "
                                           "RETURNING id"),
                            {QStringLiteral("alice"), t0})
                    .toLongLong();
            const qint64 stream =
                sql::scalar(c,
                            QStringLiteral("INSERT INTO streams (name, owner_id, title, public, "
                                           "key_hash, created_at) VALUES (?, ?, ?, FALSE, ?, ?) "
                                           "RETURNING id"),
                            {QStringLiteral("radio"), alice, QStringLiteral("Old"),
                             QStringLiteral("h0"), t0})
                    .toLongLong();
            sql::exec(c,
                      QStringLiteral("INSERT INTO stream_sessions (stream_id, started_at, "
                                     "ended_at, peak_listeners, bytes_in) VALUES (?, ?, ?, ?, ?)"),
                      {stream, t0, t0 + 100, 7, 4096});
            // Left open by a server that stopped: closed by the upgrade.
            sql::exec(c,
                      QStringLiteral("INSERT INTO stream_sessions (stream_id, started_at) "
                                     "VALUES (?, ?)"),
                      {stream, t0 + 200});
            c.close();
        }
        QSqlDatabase::removeDatabase(connection);

        Database db(*options);
        QCOMPARE(db.open(), std::nullopt);
        QCOMPARE(db.schemaVersion(), db.latestSchemaVersion());
        const auto radio = find(db, QStringLiteral("radio"));
        QVERIFY(radio);
        QCOMPARE(radio->title, QStringLiteral("Old"));
        QCOMPARE(radio->ownerName, QStringLiteral("alice"));
        QVERIFY(!radio->isPublic);
        QCOMPARE(radio->keyCreatedAtMs, t0);
        QCOMPARE(radio->updatedAtMs, t0);
        const QList<StreamSession> history = db.run([id = radio->id](QSqlDatabase &c) {
                                                   return StreamStore::sessions(c, id);
                                               }).result();
        QCOMPARE(history.size(), 2);
        QCOMPARE(history.at(0).endedAtMs, std::optional<qint64>(t0 + 200));
        QCOMPARE(history.at(1).endedAtMs, std::optional<qint64>(t0 + 100));
        QCOMPARE(history.at(1).peakListeners, 7);
        QCOMPARE(history.at(1).bytesIn, 4096);
        QCOMPARE(history.at(1).bytesOut, 0);

        NewStream again = newStream(QStringLiteral("radio"), radio->ownerId);
        QVERIFY(!create(db, again, "h1"));
        QVERIFY(db.run([id = radio->id](QSqlDatabase &c) {
                      return StreamStore::remove(c, id, t0 + 200);
                  }).result());
        QVERIFY(create(db, again, "h1"));
    }

    // A batch is written with each listener's broadcast (the session live when it connected),
    // its fields as given and the user agent cut to 256 characters; a record of a stream that
    // does not exist is skipped without failing the others.
    void listenerVisitsBatch_data() { addBackendRows(); }
    void listenerVisitsBatch()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const auto stream = aliceRadio(*db);
        QVERIFY(stream);
        const qint64 id = stream->id;
        const qint64 first = db->run([id](QSqlDatabase &c) {
                                   return StreamStore::startSession(c, id, t0);
                               }).result();
        QVERIFY(db->run([first](QSqlDatabase &c) {
                      return StreamStore::endSession(c, first, t0 + 10'000, 3, 1, 1,
                                                     StreamEndReason::Shutdown);
                  }).result());
        const qint64 second = db->run([id](QSqlDatabase &c) {
                                    return StreamStore::startSession(c, id, t0 + 20'000);
                                }).result();

        ListenerRecord during = visit(id, t0 + 1000, QStringLiteral("VLC/3.0.18"));
        during.kind = ListenerKind::WebSocket;
        during.rendition = QStringLiteral("opus64");
        during.endedAtMs = t0 + 9000;
        during.bytes = 123'456'789'012;
        during.endReason = ListenerEndReason::StreamEnded;
        ListenerRecord live = visit(id, t0 + 21'000, QString(300, QLatin1Char('x')));
        live.address = QStringLiteral("2001:db8::1");
        live.endReason = ListenerEndReason::Slow;
        ListenerRecord between = visit(id, t0 + 15'000); // no broadcast then
        between.endReason = ListenerEndReason::Shutdown;
        ListenerRecord unknownStream = visit(id + 1000, t0 + 1000);
        QCOMPARE(addVisits(*db, {during, live, unknownStream, between}), 3);

        const QList<ListenerVisit> list = visits(*db, id, 10);
        QCOMPARE(list.size(), 3);
        const ListenerVisit &l = list.at(0);
        QCOMPARE(l.connectedAtMs, t0 + 21'000);
        QCOMPARE(l.streamSessionId, std::optional<qint64>(second));
        QCOMPARE(l.userAgent, QString(256, QLatin1Char('x')));
        QCOMPARE(l.address, QStringLiteral("2001:db8::1"));
        QCOMPARE(l.endReason, QStringLiteral("slow"));
        const ListenerVisit &b = list.at(1);
        QCOMPARE(b.connectedAtMs, t0 + 15'000);
        QVERIFY(!b.streamSessionId);
        QCOMPARE(b.endReason, QStringLiteral("shutdown"));
        QCOMPARE(b.userAgent, QString());
        const ListenerVisit &d = list.at(2);
        QCOMPARE(d.streamId, id);
        QCOMPARE(d.streamSessionId, std::optional<qint64>(first));
        QCOMPARE(d.kind, QStringLiteral("websocket"));
        QCOMPARE(d.rendition, QStringLiteral("opus64"));
        QCOMPARE(d.connectedAtMs, t0 + 1000);
        QCOMPARE(d.endedAtMs, t0 + 9000);
        QCOMPARE(d.bytes, 123'456'789'012);
        QCOMPARE(d.userAgent, QStringLiteral("VLC/3.0.18"));
        QCOMPARE(d.address, QStringLiteral("192.0.2.7"));
        QCOMPARE(d.endReason, QStringLiteral("stream_ended"));
        QCOMPARE(list.at(1).kind, QStringLiteral("http"));
        QVERIFY(visits(*db, id + 1000, 10).isEmpty());
    }

    // Newest connection first; `before` continues after a row, also across equal times, and
    // another stream's rows never show.
    void listenerVisitsPaging_data() { addBackendRows(); }
    void listenerVisitsPaging()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const auto radio = create(*db, newStream(QStringLiteral("radio"), alice), "h");
        const auto other = create(*db, newStream(QStringLiteral("other"), alice), "h");
        QVERIFY(radio && other);
        // Written in the order listeners left, not the order they came.
        const QList<qint64> times = {t0 + 300, t0 + 100, t0 + 500, t0 + 300,
                                     t0 + 200, t0 + 300, t0 + 400};
        QList<ListenerRecord> batch;
        for (qint64 at : times)
            batch << visit(radio->id, at);
        batch << visit(other->id, t0 + 250);
        QCOMPARE(addVisits(*db, batch), 8);

        const QList<ListenerVisit> all = visits(*db, radio->id, 100);
        QCOMPARE(all.size(), 7);
        for (qsizetype i = 1; i < all.size(); ++i) {
            const ListenerVisit &newer = all.at(i - 1);
            const ListenerVisit &older = all.at(i);
            QVERIFY(newer.connectedAtMs > older.connectedAtMs ||
                    (newer.connectedAtMs == older.connectedAtMs && newer.id > older.id));
        }
        QCOMPARE(all.first().connectedAtMs, t0 + 500);
        QCOMPARE(all.last().connectedAtMs, t0 + 100);

        QList<qint64> paged;
        std::optional<qint64> before;
        for (int pages = 0; pages < 10; ++pages) {
            const QList<ListenerVisit> page = visits(*db, radio->id, 3, before);
            QVERIFY(page.size() <= 3);
            paged << idsOf(page);
            if (page.size() < 3)
                break;
            before = page.last().id;
        }
        QCOMPARE(paged, idsOf(all));
        // Page 2 of 3 starts in the middle of the three listeners of t0 + 300.
        QCOMPARE(idsOf(visits(*db, radio->id, 3, all.at(2).id)), idsOf(all.mid(3, 3)));
        QCOMPARE(visits(*db, radio->id, 1).size(), 1);

        const QList<ListenerVisit> others = visits(*db, other->id, 100);
        QCOMPARE(others.size(), 1);
        // A cursor from another stream lists nothing rather than the wrong rows.
        QVERIFY(visits(*db, radio->id, 100, others.first().id).isEmpty());
        QVERIFY(visits(*db, radio->id, 100, 999'999).isEmpty());
    }

    // Records from other threads reach the database once flushed, in one batch.
    void listenerLogWritesBatches_data() { addBackendRows(); }
    void listenerLogWritesBatches()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const auto stream = aliceRadio(*db);
        QVERIFY(stream);
        ListenerLog log(db.get());
        std::thread networkThread([&log, id = stream->id] {
            for (int i = 0; i < 50; ++i)
                log.record(visit(id, t0 + i));
        });
        networkThread.join();
        QCOMPARE(log.queued(), 50);
        log.flush();
        QCOMPARE(log.queued(), 0);
        QVERIFY(db->waitForIdle(10'000));
        QCOMPARE(visits(*db, stream->id, 100).size(), 50);
        QCOMPARE(log.dropped(), 0);

        // The timer writes what comes later without being asked.
        log.record(visit(stream->id, t0 + 1000));
        QTRY_COMPARE_WITH_TIMEOUT(visits(*db, stream->id, 100).size(), 51, 5000);
    }

    // LISTENER_HISTORY_DAYS: records older than the retention go, oldest first and a chunk at
    // a time; recent ones stay, and a retention of 0 keeps everything.
    void listenerHistoryIsPurgedByAge_data() { addBackendRows(); }
    void listenerHistoryIsPurgedByAge()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const auto stream = aliceRadio(*db);
        QVERIFY(stream);
        constexpr qint64 day = 24 * 3600 * 1000LL;
        const qint64 now = t0 + 400 * day;
        QList<ListenerRecord> batch;
        for (int i = 0; i < 5; ++i)
            batch << visit(stream->id, now - 100 * day - i); // old
        for (int i = 0; i < 3; ++i)
            batch << visit(stream->id, now - 10 * day + i); // recent
        QCOMPARE(addVisits(*db, batch), 8);

        QCOMPARE(purgeVisits(*db, now - 50 * day, 2), 2); // a chunk: the two oldest
        QList<ListenerVisit> left = visits(*db, stream->id, 100);
        QCOMPARE(left.size(), 6);
        QCOMPARE(left.last().connectedAtMs, now - 100 * day - 2);

        ListenerLog keepAll(db.get(), 0);
        keepAll.purgeExpired(now + 1000 * day);
        QVERIFY(db->waitForIdle(10'000));
        QCOMPARE(visits(*db, stream->id, 100).size(), 6);

        ListenerLog log(db.get(), 30);
        log.purgeExpired(now);
        QVERIFY(db->waitForIdle(10'000));
        left = visits(*db, stream->id, 100);
        QCOMPARE(left.size(), 3);
        for (const ListenerVisit &v : left)
            QVERIFY(v.connectedAtMs >= now - 10 * day);
    }

    // Past maxQueued records waiting, new ones are counted and dropped: memory stays bounded.
    void listenerLogIsBounded()
    {
        ListenerLog log(nullptr);
        for (qsizetype i = 0; i < ListenerLog::maxQueued + 25; ++i)
            log.record(visit(1, t0 + i));
        QCOMPARE(log.queued(), ListenerLog::maxQueued);
        QCOMPARE(log.dropped(), 25);
        log.flush(); // no database: discarded
        QCOMPARE(log.queued(), 0);
        log.record(visit(1, t0));
        QCOMPARE(log.queued(), 1);
        QCOMPARE(log.dropped(), 25);
    }

    void schemaEnforcesOwner_data() { addBackendRows(); }
    void schemaEnforcesOwner()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        // No user 999: the foreign key refuses the row.
        bool threw = false;
        try {
            create(*db, newStream(QStringLiteral("radio"), 999), "h");
        } catch (const StorageError &) {
            threw = true;
        }
        QVERIFY(threw);
    }
};

QTEST_GUILESS_MAIN(TestStreamStore)
#include "tst_streamstore.moc"
