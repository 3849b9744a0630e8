// Integration tests of DeviceKeyStore (E2E identity keys and one-time prekeys); every case
// runs on SQLite and on a throwaway PostgreSQL (see tests/storage/StorageTestBase.h).
#include "chat/DeviceKeyStore.h"
#include "storage/Sql.h"
#include "storage/StorageTestBase.h"
#include "storage/Transaction.h"

#include <QDeadlineTimer>
#include <QSet>
#include <QThread>
#include <atomic>

using namespace veza::chat;
using namespace veza::storage;

namespace {

constexpr qint64 t0 = 1'700'000'000'000;

qint64 insertUser(Database &db, const QString &name)
{
    return veza::testing::insertUser(db, name, t0);
}

// Key bytes with a NUL and high bytes, so a text round trip would show.
QByteArray keyBytes(char tag, int n)
{
    QByteArray key(32, '\0');
    key[0] = tag;
    key[1] = static_cast<char>(0xff);
    key[31] = static_cast<char>(n);
    return key;
}

QList<Prekey> prekeys(qint64 firstId, int count)
{
    QList<Prekey> keys;
    for (int i = 0; i < count; ++i)
        keys << Prekey{firstId + i, keyBytes('p', int(firstId + i))};
    return keys;
}

RegisterResult registerDevice(Database &db, qint64 user, const QString &device,
                              const QByteArray &key)
{
    return db
        .run([=](QSqlDatabase &c) {
            return DeviceKeyStore::registerDevice(c, user, device, key, t0);
        })
        .result();
}

UploadResult upload(Database &db, qint64 user, const QString &device, const QList<Prekey> &keys)
{
    return db
        .run([=](QSqlDatabase &c) { return DeviceKeyStore::uploadPrekeys(c, user, device, keys); })
        .result();
}

std::optional<Prekey> claim(Database &db, qint64 user, const QString &device)
{
    return db.run([=](QSqlDatabase &c) { return DeviceKeyStore::claimPrekey(c, user, device, t0); })
        .result();
}

} // namespace

class TestDeviceKeyStore : public veza::testing::StorageTestBase
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(ensurePostgres(), qPrintable(m_pg.errorString())); }

    void registrationConflictRefused_data() { addBackendRows(); }
    void registrationConflictRefused()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const qint64 bob = insertUser(*db, QStringLiteral("bob"));
        const QString phone = QStringLiteral("phone");
        QCOMPARE(registerDevice(*db, alice, phone, keyBytes('a', 1)), RegisterResult::Registered);
        QCOMPARE(registerDevice(*db, alice, phone, keyBytes('a', 1)),
                 RegisterResult::AlreadyRegistered);
        QCOMPARE(registerDevice(*db, alice, phone, keyBytes('a', 2)),
                 RegisterResult::IdentityKeyConflict);
        // Device ids are per user.
        QCOMPARE(registerDevice(*db, bob, phone, keyBytes('b', 1)), RegisterResult::Registered);
        const auto devices =
            db->run([=](QSqlDatabase &c) { return DeviceKeyStore::devicesOf(c, alice); }).result();
        QCOMPARE(devices.size(), 1);
        QCOMPARE(devices[0].identityKey, keyBytes('a', 1)); // the refused key did not replace it
        QCOMPARE(devices[0].createdAtMs, t0);
        // Removing the device is the way to a new identity key.
        QVERIFY(db->run([=](QSqlDatabase &c) {
                      return DeviceKeyStore::removeDevice(c, alice, phone);
                  }).result());
        QCOMPARE(registerDevice(*db, alice, phone, keyBytes('a', 2)), RegisterResult::Registered);
    }

    void devicesShowUnclaimedCounts_data() { addBackendRows(); }
    void devicesShowUnclaimedCounts()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const QString laptop = QStringLiteral("laptop"), phone = QStringLiteral("phone");
        QCOMPARE(registerDevice(*db, alice, phone, keyBytes('p', 0)), RegisterResult::Registered);
        QCOMPARE(registerDevice(*db, alice, laptop, keyBytes('l', 0)), RegisterResult::Registered);
        UploadResult r = upload(*db, alice, phone, prekeys(1, 3));
        QCOMPARE(r.status, UploadStatus::Stored);
        QCOMPARE(r.inserted, 3);
        // Key id 3 again (stored) and 4 twice in the batch: only 4 and 5 are new.
        r = upload(*db, alice, phone, prekeys(3, 3) + prekeys(4, 1));
        QCOMPARE(r.status, UploadStatus::Stored);
        QCOMPARE(r.inserted, 2);
        QCOMPARE(r.unclaimed, 5);
        QCOMPARE(upload(*db, alice, laptop, prekeys(100, 2)).inserted, 2);
        QCOMPARE(upload(*db, alice, QStringLiteral("tablet"), prekeys(1, 1)).status,
                 UploadStatus::UnknownDevice);

        const auto first = claim(*db, alice, phone);
        QVERIFY(first);
        QCOMPARE(first->keyId, 1); // oldest first
        QCOMPARE(first->publicKey, keyBytes('p', 1));
        // A claimed key id stays taken: uploading it again adds nothing.
        QCOMPARE(upload(*db, alice, phone, prekeys(1, 1)).inserted, 0);

        const auto devices =
            db->run([=](QSqlDatabase &c) { return DeviceKeyStore::devicesOf(c, alice); }).result();
        QCOMPARE(devices.size(), 2);
        QCOMPARE(devices[0].deviceId, laptop);
        QCOMPARE(devices[0].unclaimedPrekeys, 2);
        QCOMPARE(devices[0].identityKey, keyBytes('l', 0));
        QCOMPARE(devices[1].deviceId, phone);
        QCOMPARE(devices[1].unclaimedPrekeys, 4);
        QVERIFY(db->run([](QSqlDatabase &c) { return DeviceKeyStore::devicesOf(c, 999); })
                    .result()
                    .isEmpty());
    }

    void prekeyCapEnforced_data() { addBackendRows(); }
    void prekeyCapEnforced()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const QString phone = QStringLiteral("phone");
        const int cap = DeviceKeyStore::maxUnclaimedPrekeys;
        QCOMPARE(registerDevice(*db, alice, phone, keyBytes('a', 0)), RegisterResult::Registered);
        UploadResult r = upload(*db, alice, phone, prekeys(1, cap - 10));
        QCOMPARE(r.status, UploadStatus::Stored);
        QCOMPARE(r.unclaimed, cap - 10);
        // 20 more would pass the cap by 10: refused as a whole.
        r = upload(*db, alice, phone, prekeys(1000, 20));
        QCOMPARE(r.status, UploadStatus::TooMany);
        QCOMPARE(r.inserted, 0);
        QCOMPARE(r.unclaimed, cap - 10);
        // Duplicates do not count: 10 known ids plus 10 new ones fill it exactly.
        r = upload(*db, alice, phone, prekeys(cap - 19, 20));
        QCOMPARE(r.status, UploadStatus::Stored);
        QCOMPARE(r.inserted, 10);
        QCOMPARE(r.unclaimed, cap);
        QCOMPARE(upload(*db, alice, phone, prekeys(5000, 1)).status, UploadStatus::TooMany);
        QCOMPARE(upload(*db, alice, phone, prekeys(6000, cap + 1)).status, UploadStatus::TooMany);
        // A claim frees a slot.
        QVERIFY(claim(*db, alice, phone));
        QCOMPARE(upload(*db, alice, phone, prekeys(5000, 1)).status, UploadStatus::Stored);
        const auto devices =
            db->run([=](QSqlDatabase &c) { return DeviceKeyStore::devicesOf(c, alice); }).result();
        QCOMPARE(devices.value(0).unclaimedPrekeys, cap);
    }

    void concurrentClaimsNeverShareAKey_data() { addBackendRows(); }
    void concurrentClaimsNeverShareAKey()
    {
        QFETCH(QString, backend);
        const bool postgres = backend == QLatin1String("postgresql");
        constexpr int claimers = 8;
        auto db = openFresh(backend, claimers);
        QVERIFY(db);
        // PostgreSQL: one connection per claimer, so the claims really race. SQLite has its
        // single writer; the test then checks the results only.
        QCOMPARE(db->workerCount(), postgres ? claimers : 1);
        const qint64 alice = insertUser(*db, QStringLiteral("alice"));
        const QString phone = QStringLiteral("phone");
        QCOMPARE(registerDevice(*db, alice, phone, keyBytes('a', 0)), RegisterResult::Registered);
        QCOMPARE(upload(*db, alice, phone, prekeys(1, 5)).inserted, 5);

        // Every job waits until all have started (bounded, so a smaller pool cannot hang),
        // then claims inside a transaction held open a little: a claimer that picked a row
        // another one holds must not return it too.
        std::atomic<int> started{0};
        QList<QFuture<std::optional<Prekey>>> futures;
        for (int i = 0; i < claimers; ++i) {
            futures << db->run([&started, postgres, alice, phone](QSqlDatabase &c) {
                ++started;
                const QDeadlineTimer gate(5000);
                while (postgres && started.load() < claimers && !gate.hasExpired())
                    QThread::msleep(1);
                Transaction tx(c);
                auto key = DeviceKeyStore::claimPrekey(c, alice, phone, t0);
                if (postgres)
                    sql::exec(c, QStringLiteral("SELECT pg_sleep(0.05)"));
                tx.commit();
                return key;
            });
        }
        QSet<qint64> keyIds;
        int empty = 0;
        for (auto &future : futures) {
            const auto key = future.result();
            if (!key) {
                ++empty;
                continue;
            }
            QCOMPARE(key->publicKey, keyBytes('p', int(key->keyId)));
            keyIds.insert(key->keyId);
        }
        QCOMPARE(started.load(), claimers);
        QCOMPARE(keyIds, (QSet<qint64>{1, 2, 3, 4, 5}));
        QCOMPARE(empty, 3);
        QCOMPARE(claim(*db, alice, phone), std::nullopt);
        const qint64 claimed =
            db->run([](QSqlDatabase &c) {
                  return sql::scalar(c, QStringLiteral("SELECT COUNT(*) FROM one_time_prekeys "
                                                       "WHERE claimed_at IS NOT NULL"))
                      .toLongLong();
              }).result();
        QCOMPARE(claimed, 5);
    }
};

QTEST_GUILESS_MAIN(TestDeviceKeyStore)
#include "tst_devicekeystore.moc"
