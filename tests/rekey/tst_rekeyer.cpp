// The re-encryption of sealed rows (server/rekey) on SQLite and on a throwaway PostgreSQL:
// only rows under another key than the current one move, their text unchanged; end-to-end and
// deleted rows are not touched; rows under a key that is not configured, or that do not
// authenticate, are counted and left as they are; a second run does nothing; the census counts
// what remains under each key.
#include "chat/ChatStore.h"
#include "crypto/KeyRing.h"
#include "crypto/MessageCipher.h"
#include "moderation/ReportStore.h"
#include "rekey/KeyCensus.h"
#include "rekey/Rekeyer.h"
#include "storage/StorageTestBase.h"

using namespace veza;
using crypto::KeyRing;
using crypto::MessageCipher;
using rekey::KeyCensus;

namespace {

constexpr qint64 t0 = 1'700'000'000'000;

const QByteArray kOldKey(KeyRing::KeySize, '\x01');
const QByteArray kNewKey(KeyRing::KeySize, '\x02');
const QByteArray kLostKey(KeyRing::KeySize, '\x03');

std::unique_ptr<MessageCipher> cipherOf(const QByteArray &current,
                                        const QList<QByteArray> &previous = {})
{
    return std::make_unique<MessageCipher>(*KeyRing::create(current, previous));
}

// A sealed column set as stored, to tell whether a row was rewritten.
struct Raw
{
    QString keyId;
    QByteArray nonce;
    QByteArray body;
    bool operator==(const Raw &) const = default;
};

} // namespace

class TestRekeyer : public testing::StorageTestBase
{
    Q_OBJECT

    std::unique_ptr<storage::Database> m_db;
    qint64 m_user = 0;
    qint64 m_room = 0;

    bool setUp(const QString &backend)
    {
        m_db = openFresh(backend, 1);
        if (!m_db)
            return false;
        std::tie(m_user, m_room) =
            m_db->run([](QSqlDatabase &c) {
                    const qint64 user =
                        chat::ChatRooms::ensureUser(c, QStringLiteral("alice"), {}, t0);
                    const auto room = chat::ChatRooms::createRoom(
                        c, QStringLiteral("lobby"), chat::RoomKind::Public, {}, false, t0);
                    chat::ChatRooms::join(c, room->id, user, t0);
                    return std::make_tuple(user, room->id);
                })
                .result();
        return true;
    }

    qint64 send(const MessageCipher &cipher, const chat::Content &content)
    {
        const qint64 room = m_room, user = m_user;
        return m_db
            ->run([&cipher, room, user, content](QSqlDatabase &c) {
                return chat::ChatMessages::appendMessage(c, cipher, {room, user, {}, content, t0})
                    ->seq;
            })
            .result();
    }

    qint64 send(const MessageCipher &cipher, const QString &text)
    {
        return send(cipher, {text, {}});
    }

    QHash<qint64, chat::ChatMessage> read(const MessageCipher &cipher)
    {
        const qint64 room = m_room;
        const QList<chat::ChatMessage> messages =
            m_db->run([&cipher, room](QSqlDatabase &c) {
                    chat::HistoryQuery query;
                    query.limit = 1000;
                    return chat::ChatMessages::history(c, cipher, room, query, 0);
                })
                .result();
        QHash<qint64, chat::ChatMessage> bySeq;
        for (const chat::ChatMessage &message : messages)
            bySeq.insert(message.seq, message);
        return bySeq;
    }

    QHash<qint64, Raw> rawMessages()
    {
        return m_db
            ->run([](QSqlDatabase &c) {
                QHash<qint64, Raw> rows;
                storage::sql::Query q = storage::sql::exec(
                    c, QStringLiteral("SELECT seq, key_id, nonce, body FROM messages"));
                while (q.next())
                    rows.insert(q.value(0).toLongLong(),
                                {q.value(1).toString(), q.value(2).toByteArray(),
                                 q.value(3).toByteArray()});
                return rows;
            })
            .result();
    }

    rekey::RekeyResult rekeyWith(const MessageCipher &cipher)
    {
        const KeyCensus before = m_db->run(&KeyCensus::take).result();
        rekey::RekeyOptions options;
        options.batchSize = 2; // several batches even for a handful of rows
        options.pauseMs = 0;
        return rekey::Rekeyer(*m_db, cipher, options).run(before, [](const auto &) {});
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(ensurePostgres(), qPrintable(m_pg.errorString())); }
    void cleanup() { m_db.reset(); }

    void movesOnlyWhatAnotherKeySealed_data() { addBackendRows(); }
    void movesOnlyWhatAnotherKeySealed()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        const auto oldCipher = cipherOf(kOldKey);
        const auto lostCipher = cipherOf(kLostKey);
        const auto rotated = cipherOf(kNewKey, {kOldKey});

        QMap<qint64, QString> old;
        for (int i = 1; i <= 5; ++i)
            old.insert(send(*oldCipher, QStringLiteral("old %1").arg(i)),
                       QStringLiteral("old %1").arg(i));
        const qint64 deleted = send(*oldCipher, QStringLiteral("deleted"));
        const qint64 tampered = send(*oldCipher, QStringLiteral("tampered"));
        const qint64 lost = send(*lostCipher, QStringLiteral("lost"));
        const qint64 current = send(*rotated, QStringLiteral("current"));
        const qint64 e2e = send(
            *rotated, {{}, chat::E2eContent{"opaque", QStringLiteral("x"), QStringLiteral("d")}});
        const qint64 room = m_room, user = m_user;
        const qint64 reportedSeq = old.firstKey();
        m_db->run([=](QSqlDatabase &c) {
                chat::ChatMessages::deleteMessage(c, room, deleted, user, false, t0 + 1);
                // Another ciphertext of a possible size: the tag no longer matches.
                storage::sql::exec(c,
                                   QStringLiteral("UPDATE messages SET body = ? WHERE room_id = ? "
                                                  "AND seq = ?"),
                                   {QByteArray(18, '\x5a'), room, tampered});
                moderation::ReportStore::file(c, user, room, reportedSeq, QStringLiteral("spam"),
                                              {}, t0 + 2);
            })
            .waitForFinished();
        const QHash<qint64, Raw> before = rawMessages();

        const rekey::RekeyResult result = rekeyWith(*rotated);
        QVERIFY(!result.error);
        QCOMPARE(result.tables.size(), 2);
        const rekey::TableProgress &messages = result.tables.at(0);
        QCOMPARE(messages.table, QStringLiteral("messages"));
        QCOMPARE(messages.total, qint64(7)); // 5 old, the tampered one, the lost one
        QCOMPARE(messages.reencrypted, qint64(5));
        QCOMPARE(messages.damaged, qint64(1));
        QCOMPARE(messages.unknownKeys.value(KeyRing::keyIdFor(kLostKey)), qint64(1));
        QCOMPARE(result.tables.at(1).reencrypted, qint64(1)); // the report's copy

        // The new key alone reads what moved, with its text unchanged.
        const auto newOnly = cipherOf(kNewKey);
        const QHash<qint64, chat::ChatMessage> after = read(*newOnly);
        for (auto it = old.cbegin(); it != old.cend(); ++it) {
            QCOMPARE(after.value(it.key()).content.text, it.value());
            QVERIFY(!after.value(it.key()).error);
        }
        QCOMPARE(after.value(current).content.text, QStringLiteral("current"));
        QCOMPARE(after.value(lost).error, std::optional(MessageCipher::Error::UnknownKey));
        QCOMPARE(after.value(e2e).content.e2e->ciphertext, QByteArray("opaque"));
        const QList<moderation::Report> reports =
            m_db->run([&newOnly](QSqlDatabase &c) {
                    return moderation::ReportStore::list(c, *newOnly, {});
                })
                .result();
        QCOMPARE(reports.size(), 1);
        QCOMPARE(reports.first().body, std::optional(QStringLiteral("old 1")));

        // What was not to move is byte for byte as it was.
        const QHash<qint64, Raw> raw = rawMessages();
        for (const qint64 seq : {deleted, tampered, lost, current, e2e})
            QCOMPARE(raw.value(seq), before.value(seq));
        QVERIFY(raw.value(deleted).keyId.isEmpty()); // a tombstone seals nothing

        const KeyCensus census = m_db->run(&KeyCensus::take).result();
        const KeyRing &ring = rotated->keyRing();
        QCOMPARE(census.rows(ring, KeyCensus::Role::Current, QStringLiteral("messages")),
                 qint64(6));
        QCOMPARE(census.rows(ring, KeyCensus::Role::Current, QStringLiteral("reports")), qint64(1));
        QCOMPARE(census.rows(ring, KeyCensus::Role::Previous), qint64(1)); // the tampered row
        QCOMPARE(census.rows(ring, KeyCensus::Role::Unknown), qint64(1));
    }

    void aSecondRunChangesNothing_data() { addBackendRows(); }
    void aSecondRunChangesNothing()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        const auto oldCipher = cipherOf(kOldKey);
        const auto rotated = cipherOf(kNewKey, {kOldKey});
        for (int i = 0; i < 5; ++i)
            send(*oldCipher, QStringLiteral("m%1").arg(i));
        QCOMPARE(rekeyWith(*rotated).tables.at(0).reencrypted, qint64(5));
        const QHash<qint64, Raw> once = rawMessages();

        const rekey::RekeyResult again = rekeyWith(*rotated);
        QVERIFY(!again.error);
        for (const rekey::TableProgress &table : again.tables) {
            QCOMPARE(table.total, qint64(0));
            QCOMPARE(table.done(), qint64(0));
            QVERIFY(table.finished);
        }
        QCOMPARE(rawMessages(), once);
    }
};

QTEST_GUILESS_MAIN(TestRekeyer)
#include "tst_rekeyer.moc"
