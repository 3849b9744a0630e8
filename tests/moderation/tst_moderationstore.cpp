// Integration tests of ModerationStore (grants, sanctions, audit log); every case runs on
// SQLite and on a throwaway PostgreSQL (see tests/storage/StorageTestBase.h).
#include "moderation/ModerationStore.h"
#include "storage/Sql.h"
#include "storage/StorageTestBase.h"

#include <QSqlQuery>

using namespace veza::moderation;
using namespace veza::storage;

namespace {

constexpr qint64 t0 = 1'700'000'000'000; // a fixed "now": sanctions are compared against it

qint64 insertRow(QSqlDatabase &c, const char *table, const QString &name)
{
    return sql::scalar(c,
                       QStringLiteral("INSERT INTO ") + QLatin1String(table) +
                           QStringLiteral(" (name, created_at) VALUES (?, ?) RETURNING id"),
                       {name, t0})
        .toLongLong();
}

// Users alice (moderator), bob (target), carol; rooms lobby and music.
struct Fixture
{
    qint64 alice = 0, bob = 0, carol = 0, lobby = 0, music = 0;
};

Fixture populate(Database &db)
{
    return db
        .run([](QSqlDatabase &c) {
            Fixture f;
            f.alice = insertRow(c, "users", QStringLiteral("alice"));
            f.bob = insertRow(c, "users", QStringLiteral("bob"));
            f.carol = insertRow(c, "users", QStringLiteral("carol"));
            f.lobby = insertRow(c, "rooms", QStringLiteral("lobby"));
            f.music = insertRow(c, "rooms", QStringLiteral("music"));
            return f;
        })
        .result();
}

SanctionState sanctionAt(Database &db, qint64 room, qint64 user, qint64 nowMs)
{
    return db
        .run([=](QSqlDatabase &c) { return ModerationStore::activeSanction(c, room, user, nowMs); })
        .result();
}

QList<ModerationAction> actions(Database &db, const ActionQuery &query)
{
    return db.run([query](QSqlDatabase &c) { return ModerationStore::listActions(c, query); })
        .result();
}

QList<qint64> ids(const QList<ModerationAction> &list)
{
    QList<qint64> result;
    for (const auto &a : list)
        result << a.id;
    return result;
}

} // namespace

class TestModerationStore : public veza::testing::StorageTestBase
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(ensurePostgres(), qPrintable(m_pg.errorString())); }

    void actionNamesRoundTrip()
    {
        for (int i = 0; i <= static_cast<int>(ModerationActionType::Kick); ++i) {
            const auto type = static_cast<ModerationActionType>(i);
            QVERIFY(!actionName(type).isEmpty());
            QCOMPARE(actionFromName(actionName(type)), type);
        }
        QCOMPARE(actionName(ModerationActionType::SlowMode), QStringLiteral("slow_mode"));
        QCOMPARE(actionName(ModerationActionType::Kick), QStringLiteral("kick"));
        QCOMPARE(actionFromName(u"teleport"), std::nullopt);
    }

    void grantAndRevoke_data() { addBackendRows(); }
    void grantAndRevoke()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const Fixture f = populate(*db);
        const auto call = [&](auto fn) { return db->run(fn).result(); };
        QCOMPARE(call([&](QSqlDatabase &c) {
                     return ModerationStore::isRoomModerator(c, f.lobby, f.bob);
                 }),
                 false);
        QCOMPARE(call([&](QSqlDatabase &c) {
                     return ModerationStore::grantModerator(c, f.lobby, f.bob, f.alice, t0);
                 }),
                 true);
        QCOMPARE(call([&](QSqlDatabase &c) {
                     return ModerationStore::grantModerator(c, f.lobby, f.bob, f.alice, t0 + 1);
                 }),
                 false); // already a moderator: no change, no audit row
        QCOMPARE(call([&](QSqlDatabase &c) {
                     return ModerationStore::isRoomModerator(c, f.lobby, f.bob);
                 }),
                 true);
        QCOMPARE(call([&](QSqlDatabase &c) {
                     return ModerationStore::isRoomModerator(c, f.music, f.bob);
                 }),
                 false);
        QCOMPARE(call([&](QSqlDatabase &c) {
                     return ModerationStore::revokeModerator(c, f.lobby, f.bob, f.alice, t0 + 2);
                 }),
                 true);
        QCOMPARE(call([&](QSqlDatabase &c) {
                     return ModerationStore::revokeModerator(c, f.lobby, f.bob, f.alice, t0 + 3);
                 }),
                 false);
        QCOMPARE(call([&](QSqlDatabase &c) {
                     return ModerationStore::isRoomModerator(c, f.lobby, f.bob);
                 }),
                 false);
        const auto log = actions(*db, ActionQuery{});
        QCOMPARE(log.size(), 2);
        QCOMPARE(log[0].action, ModerationActionType::Revoke);
        QCOMPARE(log[1].action, ModerationActionType::Grant);
        QCOMPARE(log[1].actorId, f.alice);
        QCOMPARE(log[1].targetUserId, f.bob);
        QCOMPARE(log[1].roomId, f.lobby);
    }

    void sanctionsWriteAuditRows_data() { addBackendRows(); }
    void sanctionsWriteAuditRows()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const Fixture f = populate(*db);
        const auto expected =
            db->run([f](QSqlDatabase &c) {
                  QList<qint64> ids;
                  ids << ModerationStore::timeout(c, f.lobby, f.bob, t0 + 60'000, f.alice, "spam",
                                                  t0);
                  ids << ModerationStore::ban(c, std::nullopt, f.bob, std::nullopt, f.alice,
                                              "raiding", t0 + 1);
                  ids << ModerationStore::unban(c, std::nullopt, f.bob, f.carol, "appeal", t0 + 2)
                             .value_or(-1);
                  return ids;
              }).result();
        const auto log = actions(*db, ActionQuery{});
        QCOMPARE(log.size(), 3);
        QCOMPARE(ids(log), (QList<qint64>{expected[2], expected[1], expected[0]}));
        QCOMPARE(log[2].action, ModerationActionType::Timeout);
        QCOMPARE(log[2].actorId, f.alice);
        QCOMPARE(log[2].targetUserId, f.bob);
        QCOMPARE(log[2].roomId, f.lobby);
        QCOMPARE(log[2].reason, QStringLiteral("spam"));
        QCOMPARE(log[2].createdAtMs, t0);
        QCOMPARE(log[2].expiresAtMs, t0 + 60'000);
        QCOMPARE(log[1].action, ModerationActionType::Ban);
        QCOMPARE(log[1].roomId, std::nullopt); // global
        QCOMPARE(log[1].expiresAtMs, std::nullopt);
        QCOMPARE(log[1].reason, QStringLiteral("raiding"));
        QCOMPARE(log[0].action, ModerationActionType::Unban);
        QCOMPARE(log[0].actorId, f.carol);
        QCOMPARE(log[0].targetUserId, f.bob);
        QCOMPARE(log[0].reason, QStringLiteral("appeal"));
        // No reason given is stored as an empty one, on the sanction and in the log.
        db->run([f](QSqlDatabase &c) {
              ModerationStore::ban(c, f.music, f.carol, std::nullopt, f.alice, QString(), t0 + 3);
          }).waitForFinished();
        QCOMPARE(actions(*db, ActionQuery{}).value(0).reason, QString());
    }

    void listActionsFiltersAndPages_data() { addBackendRows(); }
    void listActionsFiltersAndPages()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const Fixture f = populate(*db);
        // 7 in the lobby about bob, 3 in music about carol, 2 global; times 0..11 s.
        const QList<qint64> all = db->run([f](QSqlDatabase &c) {
                                        QList<qint64> ids;
                                        for (int i = 0; i < 12; ++i) {
                                            ModerationAction a;
                                            a.actorId = f.alice;
                                            a.action = ModerationActionType::Delete;
                                            a.targetUserId = i < 7 ? f.bob : f.carol;
                                            if (i < 7)
                                                a.roomId = f.lobby;
                                            else if (i < 10)
                                                a.roomId = f.music;
                                            a.createdAtMs = t0 + i * 1000;
                                            ids << ModerationStore::recordAction(c, a);
                                        }
                                        return ids;
                                    }).result();
        QCOMPARE(all.size(), 12);
        QList<qint64> newestFirst(all.rbegin(), all.rend());
        QCOMPARE(ids(actions(*db, ActionQuery{})), newestFirst);

        ActionQuery lobby;
        lobby.roomId = f.lobby;
        lobby.limit = 3;
        const auto page1 = actions(*db, lobby);
        QCOMPARE(ids(page1), (QList<qint64>{all[6], all[5], all[4]}));
        lobby.beforeId = page1.last().id;
        const auto page2 = actions(*db, lobby);
        QCOMPARE(ids(page2), (QList<qint64>{all[3], all[2], all[1]}));
        lobby.beforeId = page2.last().id;
        QCOMPARE(ids(actions(*db, lobby)), (QList<qint64>{all[0]}));

        ActionQuery carol;
        carol.targetUserId = f.carol;
        carol.sinceMs = t0 + 9000;
        QCOMPARE(ids(actions(*db, carol)), (QList<qint64>{all[11], all[10], all[9]}));

        ActionQuery one;
        one.limit = 0; // clamped to 1
        QCOMPARE(actions(*db, one).size(), 1);
    }

    void timeoutActiveUntilItsTime_data() { addBackendRows(); }
    void timeoutActiveUntilItsTime()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const Fixture f = populate(*db);
        const qint64 until = t0 + 30'000;
        db->run([&](QSqlDatabase &c) {
              ModerationStore::timeout(c, f.lobby, f.bob, until, f.alice, "calm down", t0);
          }).waitForFinished();
        SanctionState s = sanctionAt(*db, f.lobby, f.bob, t0);
        QCOMPARE(s.kind, SanctionState::Kind::Timeout);
        QCOMPARE(s.untilMs, until);
        QCOMPARE(s.global, false);
        QCOMPARE(sanctionAt(*db, f.lobby, f.bob, until - 1).kind, SanctionState::Kind::Timeout);
        QCOMPARE(sanctionAt(*db, f.lobby, f.bob, until).kind, SanctionState::Kind::None);
        QCOMPARE(sanctionAt(*db, f.music, f.bob, t0).kind, SanctionState::Kind::None);
        QCOMPARE(sanctionAt(*db, f.lobby, f.carol, t0).kind, SanctionState::Kind::None);
        // A second timeout replaces the first (shorter too).
        db->run([&](QSqlDatabase &c) {
              ModerationStore::timeout(c, f.lobby, f.bob, t0 + 5000, f.alice, "shorter", t0 + 1);
          }).waitForFinished();
        QCOMPARE(sanctionAt(*db, f.lobby, f.bob, t0 + 6000).kind, SanctionState::Kind::None);
        QCOMPARE(db->run([&](QSqlDatabase &c) {
                       return ModerationStore::pruneExpiredSanctions(c, t0 + 6000);
                   }).result(),
                 1);
    }

    void roomBanVersusGlobalBan_data() { addBackendRows(); }
    void roomBanVersusGlobalBan()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const Fixture f = populate(*db);
        db->run([&](QSqlDatabase &c) {
              ModerationStore::ban(c, f.lobby, f.bob, std::nullopt, f.alice, "room", t0);
              ModerationStore::timeout(c, f.music, f.bob, t0 + 10'000, f.alice, "mute", t0);
          }).waitForFinished();
        SanctionState s = sanctionAt(*db, f.lobby, f.bob, t0 + 1);
        QCOMPARE(s.kind, SanctionState::Kind::Banned);
        QCOMPARE(s.untilMs, std::nullopt);
        QCOMPARE(s.global, false);
        QCOMPARE(sanctionAt(*db, f.music, f.bob, t0 + 1).kind, SanctionState::Kind::Timeout);

        // A timed global ban applies to every room and wins over the music timeout.
        const qint64 until = t0 + 60'000;
        db->run([&](QSqlDatabase &c) {
              ModerationStore::ban(c, std::nullopt, f.bob, until, f.alice, "global", t0 + 2);
          }).waitForFinished();
        for (const qint64 room : {f.lobby, f.music}) {
            s = sanctionAt(*db, room, f.bob, t0 + 3);
            QCOMPARE(s.kind, SanctionState::Kind::Banned);
        }
        s = sanctionAt(*db, f.music, f.bob, t0 + 3);
        QCOMPARE(s.global, true);
        QCOMPARE(s.untilMs, until);
        // The permanent room ban outlasts the timed global one.
        s = sanctionAt(*db, f.lobby, f.bob, t0 + 3);
        QCOMPARE(s.global, false);
        QCOMPARE(s.untilMs, std::nullopt);
        // Once the global ban expired, only the room ban is left.
        QCOMPARE(sanctionAt(*db, f.music, f.bob, until).kind, SanctionState::Kind::None);
        QCOMPARE(sanctionAt(*db, f.lobby, f.bob, until).kind, SanctionState::Kind::Banned);
        QCOMPARE(sanctionAt(*db, f.lobby, f.carol, t0 + 3).kind, SanctionState::Kind::None);
    }

    void unbanLifts_data() { addBackendRows(); }
    void unbanLifts()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const Fixture f = populate(*db);
        const auto unban = [&](std::optional<qint64> room, qint64 nowMs) {
            return db
                ->run([=](QSqlDatabase &c) {
                    return ModerationStore::unban(c, room, f.bob, f.alice, "ok", nowMs);
                })
                .result();
        };
        db->run([&](QSqlDatabase &c) {
              ModerationStore::ban(c, f.lobby, f.bob, std::nullopt, f.alice, "room", t0);
              ModerationStore::ban(c, std::nullopt, f.bob, std::nullopt, f.alice, "global", t0);
          }).waitForFinished();
        // Lifting the room ban leaves the global one in force.
        QVERIFY(unban(f.lobby, t0 + 1));
        SanctionState s = sanctionAt(*db, f.lobby, f.bob, t0 + 1);
        QCOMPARE(s.kind, SanctionState::Kind::Banned);
        QCOMPARE(s.global, true);
        QVERIFY(unban(std::nullopt, t0 + 2));
        QCOMPARE(sanctionAt(*db, f.lobby, f.bob, t0 + 2).kind, SanctionState::Kind::None);
        // Nothing in force: nothing to lift, nothing logged (also for an expired timeout).
        db->run([&](QSqlDatabase &c) {
              ModerationStore::timeout(c, f.music, f.bob, t0 + 10, f.alice, "short", t0 + 3);
          }).waitForFinished();
        QCOMPARE(unban(f.music, t0 + 20), std::nullopt);
        QCOMPARE(unban(std::nullopt, t0 + 20), std::nullopt);
        const auto log = actions(*db, ActionQuery{});
        QCOMPARE(log.size(), 5); // 2 bans, 2 unbans, 1 timeout
        QCOMPARE(log[0].action, ModerationActionType::Timeout);
        QCOMPARE(log[1].action, ModerationActionType::Unban);
        QCOMPARE(log[1].roomId, std::nullopt);
        QCOMPARE(log[2].action, ModerationActionType::Unban);
        QCOMPARE(log[2].roomId, f.lobby);
        // An unban lifts a timeout in its scope too, and re-banning replaces, not duplicates.
        db->run([&](QSqlDatabase &c) {
              ModerationStore::timeout(c, f.music, f.bob, t0 + 1000, f.alice, "again", t0 + 30);
          }).waitForFinished();
        QVERIFY(unban(f.music, t0 + 40));
        QCOMPARE(sanctionAt(*db, f.music, f.bob, t0 + 41).kind, SanctionState::Kind::None);
        const qint64 rows =
            db->run([&](QSqlDatabase &c) {
                  ModerationStore::ban(c, f.lobby, f.bob, t0 + 100, f.alice, "a", t0 + 50);
                  ModerationStore::ban(c, f.lobby, f.bob, t0 + 200, f.alice, "b", t0 + 51);
                  return sql::scalar(c, QStringLiteral("SELECT COUNT(*) FROM sanctions"))
                      .toLongLong();
              }).result();
        QCOMPARE(rows, 1);
        QCOMPARE(sanctionAt(*db, f.lobby, f.bob, t0 + 150).kind, SanctionState::Kind::Banned);
    }
};

QTEST_GUILESS_MAIN(TestModerationStore)
#include "tst_moderationstore.moc"
