// Integration tests of the chat persistence layer (ChatRooms, ChatMessages); every case runs
// on SQLite and on a throwaway PostgreSQL (see tests/storage/StorageTestBase.h).
#include "ChatStoreTesting.h"
#include "chat/ChatStore.h"
#include "storage/Migrator.h"
#include "storage/Sql.h"
#include "storage/StorageTestBase.h"
#include "storage/Transaction.h"

#include <QSet>
#include <QSqlQuery>
#include <thread>

using namespace veza::chat;
using namespace veza::storage;
using veza::crypto::MessageCipher;
using veza::testing::run;

namespace {

constexpr qint64 t0 = 1'700'000'000'000;

QList<qint64> seqsOf(const QList<ChatMessage> &messages)
{
    QList<qint64> seqs;
    for (const ChatMessage &m : messages)
        seqs << m.seq;
    return seqs;
}

// One row's raw columns, as the database holds them.
struct RawRow
{
    QByteArray body;
    QVariant keyId;
    QVariant nonce;
    QString kind;
};

RawRow rawRow(Database &db, qint64 room, qint64 seq)
{
    return run(db, [=](QSqlDatabase &c) {
        sql::Query q = sql::exec(c,
                                 QStringLiteral("SELECT body, key_id, nonce, content_kind FROM "
                                                "messages WHERE room_id = ? AND seq = ?"),
                                 {room, seq});
        if (!q.next())
            return RawRow{};
        return RawRow{q.value(0).toByteArray(), q.value(1), q.value(2), q.value(3).toString()};
    });
}

} // namespace

class TestChatStore : public veza::testing::StorageTestBase
{
    Q_OBJECT

    std::unique_ptr<MessageCipher> m_cipher;
    std::unique_ptr<Database> m_db;
    qint64 m_alice = 0;
    qint64 m_bob = 0;
    qint64 m_room = 0;

    // A fresh database with users alice and bob, both members of the room "lobby".
    bool setUp(const QString &backend, int poolSize = 4)
    {
        m_db = openFresh(backend, poolSize);
        if (!m_db)
            return false;
        std::tie(m_alice, m_bob, m_room) = run(*m_db, [](QSqlDatabase &c) {
            const qint64 alice =
                ChatRooms::ensureUser(c, QStringLiteral("sub-alice"), QStringLiteral("Alice"), t0);
            const qint64 bob = ChatRooms::ensureUser(c, QStringLiteral("sub-bob"), {}, t0);
            const auto room = ChatRooms::createRoom(c, QStringLiteral("lobby"), RoomKind::Public,
                                                    QStringLiteral("hi"), false, t0);
            ChatRooms::join(c, room->id, alice, t0);
            ChatRooms::join(c, room->id, bob, t0);
            return std::make_tuple(alice, bob, room->id);
        });
        return true;
    }

    std::optional<StoredMessage> send(qint64 room, qint64 sender, const QString &text,
                                      const QString &clientId = {}, qint64 at = t0)
    {
        const MessageCipher *cipher = m_cipher.get();
        return run(*m_db, [=](QSqlDatabase &c) {
            return ChatMessages::appendMessage(c, *cipher,
                                               NewMessage{room, sender, clientId, {text, {}}, at});
        });
    }

    // Read as `viewer` (0: nobody's reactions are `me`).
    QList<ChatMessage> history(const HistoryQuery &query, qint64 room = 0, qint64 viewer = 0)
    {
        const MessageCipher *cipher = m_cipher.get();
        room = room ? room : m_room;
        return run(*m_db, [=](QSqlDatabase &c) {
            return ChatMessages::history(c, *cipher, room, query, viewer);
        });
    }

    QList<ChatMessage> after(qint64 seq, int limit = 100, qint64 viewer = 0)
    {
        const MessageCipher *cipher = m_cipher.get();
        const qint64 room = m_room;
        return run(*m_db, [=](QSqlDatabase &c) {
            return ChatMessages::messagesAfter(c, *cipher, room, seq, limit, viewer);
        });
    }

    ChangeResult remove(qint64 seq, qint64 actor, bool moderator = false)
    {
        const qint64 room = m_room;
        return run(*m_db, [=](QSqlDatabase &c) {
            return ChatMessages::deleteMessage(c, room, seq, actor, moderator, t0 + 9);
        });
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(ensurePostgres(), qPrintable(m_pg.errorString()));
        m_cipher = veza::testing::testCipher();
        QVERIFY(m_cipher);
    }
    void cleanup() { m_db.reset(); }

    void appendAssignsSeqPerRoom_data() { addBackendRows(); }
    void appendAssignsSeqPerRoom()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        const auto other = run(*m_db, [](QSqlDatabase &c) {
            return ChatRooms::createRoom(c, QStringLiteral("dev"), RoomKind::Private, {}, false,
                                         t0);
        });
        QVERIFY(other);
        QList<qint64> lobby, dev;
        for (int i = 0; i < 3; ++i) {
            lobby << send(m_room, m_alice, QStringLiteral("l%1").arg(i))->seq;
            dev << send(other->id, m_bob, QStringLiteral("d%1").arg(i))->seq;
        }
        QCOMPARE(lobby, (QList<qint64>{1, 2, 3}));
        QCOMPARE(dev, (QList<qint64>{1, 2, 3}));
        QCOMPARE(send(999, m_alice, QStringLiteral("nowhere")), std::nullopt);
        const auto info = run(
            *m_db, [](QSqlDatabase &c) { return ChatRooms::findRoom(c, QStringLiteral("dev")); });
        QCOMPARE(info->lastSeq, 3);
        QCOMPARE(info->kind, RoomKind::Private);
    }

    void duplicateClientMsgIdStoresOnce_data() { addBackendRows(); }
    void duplicateClientMsgIdStoresOnce()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        const auto first = send(m_room, m_alice, QStringLiteral("one"), QStringLiteral("c-1"), t0);
        QCOMPARE(first->seq, 1);
        QVERIFY(!first->duplicate);
        const auto again =
            send(m_room, m_alice, QStringLiteral("changed"), QStringLiteral("c-1"), t0 + 500);
        QCOMPARE(again->seq, 1);
        QCOMPARE(again->createdAtMs, t0);
        QVERIFY(again->duplicate);
        // The same client id from someone else is another message.
        QCOMPARE(send(m_room, m_bob, QStringLiteral("b"), QStringLiteral("c-1"))->seq, 2);
        QCOMPARE(send(m_room, m_alice, QStringLiteral("two"), QStringLiteral("c-2"))->seq, 3);
        const auto all = after(0);
        QCOMPARE(seqsOf(all), (QList<qint64>{1, 2, 3}));
        QCOMPARE(all[0].content.text, QStringLiteral("one"));
        QCOMPARE(all[0].clientMsgId, QStringLiteral("c-1"));
    }

    void concurrentAppendsHaveNoGap_data() { addBackendRows(); }
    void concurrentAppendsHaveNoGap()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend, 4));
        const MessageCipher *cipher = m_cipher.get();
        const qint64 room = m_room, alice = m_alice;
        std::vector<QList<qint64>> perThread(4);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                QList<QFuture<std::optional<StoredMessage>>> futures;
                for (int i = 0; i < 250; ++i) {
                    const QString id = QStringLiteral("t%1-%2").arg(t).arg(i);
                    futures << m_db->run([=](QSqlDatabase &c) {
                        return ChatMessages::appendMessage(
                            c, *cipher, NewMessage{room, alice, id, {id, {}}, t0});
                    });
                }
                for (auto &f : futures)
                    perThread[t] << f.result()->seq;
            });
        }
        for (auto &thread : threads)
            thread.join();
        QList<qint64> seqs;
        for (const auto &list : perThread)
            seqs += list;
        std::sort(seqs.begin(), seqs.end());
        QList<qint64> expected;
        for (qint64 s = 1; s <= 1000; ++s)
            expected << s;
        QCOMPARE(seqs, expected);
        const auto stored = after(0, 1000);
        QCOMPARE(seqsOf(stored), expected);
        QSet<QString> texts;
        for (const ChatMessage &m : stored)
            texts.insert(m.content.text);
        QCOMPARE(texts.size(), 1000);
    }

    void noPlaintextAtRest_data() { addBackendRows(); }
    void noPlaintextAtRest()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        const QString canary = QStringLiteral("canary-7f3e secret words");
        send(m_room, m_alice, canary);
        const RawRow row = rawRow(*m_db, m_room, 1);
        QVERIFY(!row.body.isEmpty());
        QVERIFY(!row.body.contains(canary.toUtf8()));
        QVERIFY(!row.body.contains("canary"));
        QCOMPARE(row.kind, QStringLiteral("text"));
        QCOMPARE(row.keyId.toString(), m_cipher->keyRing().currentKeyId());
        QCOMPARE(row.nonce.toByteArray().size(), MessageCipher::NonceSize);
        QCOMPARE(history({}).value(0).content.text, canary);
    }

    void ciphertextBoundToRow_data() { addBackendRows(); }
    void ciphertextBoundToRow()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        send(m_room, m_alice, QStringLiteral("first"));
        send(m_room, m_alice, QStringLiteral("second"));
        const RawRow first = rawRow(*m_db, m_room, 1);
        // Copy row 1's sealed body onto row 2, as an attacker with database access might.
        run(*m_db, [&](QSqlDatabase &c) {
            sql::exec(c,
                      QStringLiteral("UPDATE messages SET body = ?, key_id = ?, nonce = ? "
                                     "WHERE room_id = ? AND seq = 2"),
                      {first.body, first.keyId, first.nonce, m_room});
        });
        const auto messages = history({});
        QCOMPARE(seqsOf(messages), (QList<qint64>{2, 1}));
        QCOMPARE(messages[0].error, MessageCipher::Error::Tampered);
        QVERIFY(messages[0].content.text.isEmpty());
        QCOMPARE(messages[1].error, std::nullopt);
        QCOMPARE(messages[1].content.text, QStringLiteral("first"));
        QCOMPARE(after(0).value(1).error, MessageCipher::Error::Tampered);
    }

    void editRules_data() { addBackendRows(); }
    void editRules()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        send(m_room, m_alice, QStringLiteral("typo"));
        const RawRow before = rawRow(*m_db, m_room, 1);
        const MessageCipher *cipher = m_cipher.get();
        const qint64 room = m_room;
        const auto edit = [&](qint64 seq, qint64 editor) {
            return run(*m_db, [=](QSqlDatabase &c) {
                return ChatMessages::editMessage(c, *cipher, room, seq, editor,
                                                 Content{QStringLiteral("fixed"), {}}, t0 + 77);
            });
        };
        QCOMPARE(edit(1, m_bob), ChangeResult::Forbidden);
        QCOMPARE(edit(5, m_alice), ChangeResult::NotFound);
        QCOMPARE(edit(1, m_alice), ChangeResult::Ok);
        const ChatMessage edited = history({}).value(0);
        QCOMPARE(edited.content.text, QStringLiteral("fixed"));
        QCOMPARE(edited.editedAtMs, t0 + 77);
        QCOMPARE(edited.createdAtMs, t0);
        QCOMPARE(edited.error, std::nullopt);
        QVERIFY(rawRow(*m_db, m_room, 1).nonce != before.nonce); // sealed afresh
        QCOMPARE(remove(1, m_alice), ChangeResult::Ok);
        QCOMPARE(edit(1, m_alice), ChangeResult::Deleted);
    }

    void deleteWipesBody_data() { addBackendRows(); }
    void deleteWipesBody()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        for (int i = 1; i <= 3; ++i)
            send(m_room, m_alice, QStringLiteral("m%1").arg(i));
        QCOMPARE(remove(2, m_bob), ChangeResult::Forbidden);
        QCOMPARE(remove(9, m_alice), ChangeResult::NotFound);
        QCOMPARE(remove(2, m_bob, true), ChangeResult::Ok); // a moderator may
        QCOMPARE(remove(2, m_alice), ChangeResult::Deleted);
        const RawRow row = rawRow(*m_db, m_room, 2);
        QCOMPARE(row.body.size(), 0);
        QVERIFY(row.nonce.isNull());
        QVERIFY(row.keyId.isNull());
        QCOMPARE(seqsOf(history({})), (QList<qint64>{3, 1}));
        const auto resumed = after(0);
        QCOMPARE(seqsOf(resumed), (QList<qint64>{1, 2, 3}));
        QVERIFY(resumed[1].deleted);
        QCOMPARE(resumed[1].deletedAtMs, t0 + 9);
        QVERIFY(resumed[1].content.text.isEmpty());
        QVERIFY(!resumed[0].deleted);
        QCOMPARE(resumed[2].content.text, QStringLiteral("m3"));
    }

    void historyPages_data() { addBackendRows(); }
    void historyPages()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        // Clocks going backwards still give created_at in seq order.
        for (int i = 1; i <= 10; ++i)
            QCOMPARE(send(m_room, m_alice, QStringLiteral("m%1").arg(i), {}, t0 - i)->createdAtMs,
                     t0 - 1);
        remove(6, m_alice);
        QCOMPARE(seqsOf(history({std::nullopt, std::nullopt, 3})), (QList<qint64>{10, 9, 8}));
        QCOMPARE(seqsOf(history({8, std::nullopt, 3})), (QList<qint64>{7, 5, 4}));
        QCOMPARE(seqsOf(history({2, std::nullopt, 3})), (QList<qint64>{1}));
        QCOMPARE(seqsOf(history({std::nullopt, 2, 3})), (QList<qint64>{5, 4, 3}));
        QCOMPARE(seqsOf(history({9, 2, 50})), (QList<qint64>{8, 7, 5, 4, 3}));
        QCOMPARE(history({std::nullopt, std::nullopt, 0}).size(), 0);
        QCOMPARE(history({}).value(0).content.text, QStringLiteral("m10"));
    }

    void messagesAfterResumes_data() { addBackendRows(); }
    void messagesAfterResumes()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        for (int i = 1; i <= 10; ++i)
            send(m_room, i % 2 ? m_alice : m_bob, QStringLiteral("m%1").arg(i));
        remove(4, m_bob);
        remove(7, m_alice);
        const auto rest = after(3);
        QCOMPARE(seqsOf(rest), (QList<qint64>{4, 5, 6, 7, 8, 9, 10}));
        QVERIFY(rest[0].deleted && rest[3].deleted && !rest[1].deleted);
        QCOMPARE(rest[1].content.text, QStringLiteral("m5"));
        // Paging in small steps meets every seq exactly once.
        QList<qint64> paged;
        for (qint64 last = 0;;) {
            const auto page = after(last, 3);
            if (page.isEmpty())
                break;
            paged += seqsOf(page);
            last = page.last().seq;
        }
        QCOMPARE(paged, (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        QVERIFY(after(10).isEmpty());
    }

    void historyUsesPartialIndex_data() { addBackendRows(); }
    void historyUsesPartialIndex()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        for (int i = 0; i < 50; ++i)
            send(m_room, m_alice, QStringLiteral("m%1").arg(i));
        const QList<HistoryQuery> queries{{}, {40, std::nullopt, 20}, {std::nullopt, 10, 20}};
        for (const HistoryQuery &query : queries) {
            QString statement = ChatMessages::historySql(query);
            const qint64 room = m_room;
            const QString plan = run(*m_db, [&](QSqlDatabase &c) {
                const QVariantList values = ChatMessages::historyValues(c, room, query);
                QString text;
                if (backend == QLatin1String("sqlite")) {
                    sql::Query q =
                        sql::exec(c, QStringLiteral("EXPLAIN QUERY PLAN ") + statement, values);
                    while (q.next())
                        text += q.value(3).toString() + QLatin1Char('\n');
                    return text;
                }
                // PostgreSQL cannot PREPARE an EXPLAIN, so explain an EXECUTE of the
                // statement; its parameters are the test's own integers.
                for (int n = 1; statement.contains(QLatin1Char('?')); ++n)
                    statement.replace(statement.indexOf(QLatin1Char('?')), 1,
                                      QStringLiteral("$%1").arg(n));
                QStringList args;
                for (const QVariant &v : values)
                    args << QString::number(v.toLongLong());
                Transaction tx(c);
                sql::exec(c, QStringLiteral("SET LOCAL enable_seqscan = off"));
                sql::exec(c, QStringLiteral("PREPARE chat_history AS ") + statement);
                sql::Query q = sql::exec(c, QStringLiteral("EXPLAIN EXECUTE chat_history(") +
                                                args.join(QLatin1Char(',')) + QLatin1Char(')'));
                while (q.next())
                    text += q.value(0).toString() + QLatin1Char('\n');
                q.finish();
                sql::exec(c, QStringLiteral("DEALLOCATE chat_history"));
                return text;
            });
            QVERIFY2(plan.contains(QStringLiteral("idx_messages_room_created")),
                     qPrintable(statement + QLatin1Char('\n') + plan));
        }
    }

    void roomsWithUnreadCounts_data() { addBackendRows(); }
    void roomsWithUnreadCounts()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        const qint64 alice = m_alice, bob = m_bob, lobby = m_room;
        const auto [dev, joins] = run(*m_db, [=](QSqlDatabase &c) {
            const qint64 id =
                ChatRooms::createRoom(c, QStringLiteral("dev"), RoomKind::Private, {}, false, t0)
                    ->id;
            QList<ChatRooms::JoinResult> joins{ChatRooms::join(c, id, bob, t0),
                                               ChatRooms::join(c, id, bob, t0),
                                               ChatRooms::join(c, 999, bob, t0)};
            return std::make_pair(id, joins);
        });
        QCOMPARE(joins, (QList<ChatRooms::JoinResult>{ChatRooms::JoinResult::Joined,
                                                      ChatRooms::JoinResult::AlreadyMember,
                                                      ChatRooms::JoinResult::NoSuchRoom}));
        for (int i = 0; i < 3; ++i)
            send(lobby, alice, QStringLiteral("l%1").arg(i));
        send(dev, bob, QStringLiteral("d"));
        const auto unread = [&](qint64 user) {
            QMap<QString, qint64> counts;
            for (const MemberRoom &r :
                 run(*m_db, [=](QSqlDatabase &c) { return ChatRooms::roomsOf(c, user); }))
                counts.insert(r.room.name, r.unread);
            return counts;
        };
        QCOMPARE(unread(bob), (QMap<QString, qint64>{{"dev", 1}, {"lobby", 3}}));
        QCOMPARE(unread(alice), (QMap<QString, qint64>{{"lobby", 3}}));
        const auto markRead = [&](qint64 room, qint64 user, qint64 seq) {
            return run(*m_db,
                       [=](QSqlDatabase &c) { return ChatRooms::markRead(c, room, user, seq); });
        };
        QVERIFY(markRead(lobby, bob, 2));
        QCOMPARE(unread(bob).value("lobby"), 1);
        QVERIFY(markRead(lobby, bob, 1)); // never backwards
        QCOMPARE(unread(bob).value("lobby"), 1);
        remove(3, alice);
        QCOMPARE(unread(bob).value("lobby"), 0);
        QVERIFY(!markRead(dev, alice, 1));
        // A late joiner starts with nothing unread.
        const auto [carolUnread, memberCount, left, stillMember] = run(*m_db, [=](QSqlDatabase &c) {
            const qint64 carol = ChatRooms::ensureUser(c, QStringLiteral("sub-carol"), {}, t0);
            ChatRooms::join(c, lobby, carol, t0);
            const qint64 carolUnread = ChatRooms::roomsOf(c, carol).value(0).unread;
            const qsizetype memberCount = ChatRooms::members(c, lobby).size();
            const bool left = ChatRooms::leave(c, lobby, carol);
            return std::make_tuple(carolUnread, memberCount, left,
                                   ChatRooms::isMember(c, lobby, carol));
        });
        QCOMPARE(carolUnread, 0);
        QCOMPARE(memberCount, 3);
        QVERIFY(left);
        QVERIFY(!stillMember);
    }

    void directRoomIsStable_data() { addBackendRows(); }
    void directRoomIsStable()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend, 4));
        const qint64 alice = m_alice, bob = m_bob;
        const auto [ab, ba, squat] = run(*m_db, [=](QSqlDatabase &c) {
            const RoomInfo ab = ChatRooms::directRoom(c, alice, bob, t0);
            const RoomInfo ba = ChatRooms::directRoom(c, bob, alice, t0);
            const bool squat = ChatRooms::createRoom(c, ChatRooms::DirectPrefix + "x",
                                                     RoomKind::Public, {}, false, t0)
                                   .has_value();
            return std::make_tuple(ab, ba, squat);
        });
        QCOMPARE(ab.id, ba.id);
        QCOMPARE(ab.kind, RoomKind::Direct);
        QCOMPARE(ab.name, QStringLiteral("@direct:sub-alice:sub-bob")); // public ids, not numbers
        QVERIFY(!squat);
        // Racing creators of a new pair end up in one room.
        const auto [carol, dave] = run(*m_db, [](QSqlDatabase &c) {
            return std::make_pair(ChatRooms::ensureUser(c, QStringLiteral("c"), {}, t0),
                                  ChatRooms::ensureUser(c, QStringLiteral("d"), {}, t0));
        });
        QList<QFuture<RoomInfo>> racing;
        for (int i = 0; i < 8; ++i) {
            const bool flip = i % 2;
            racing << m_db->run([=](QSqlDatabase &c) {
                return ChatRooms::directRoom(c, flip ? carol : dave, flip ? dave : carol, t0);
            });
        }
        QSet<qint64> ids;
        for (auto &f : racing)
            ids.insert(f.result().id);
        QCOMPARE(ids.size(), 1);
        const qint64 id = *ids.begin();
        QCOMPARE(run(*m_db, [=](QSqlDatabase &c) { return ChatRooms::members(c, id).size(); }), 2);
    }

    void directRoomNamesAreUnambiguous()
    {
        QCOMPARE(ChatRooms::directRoomName(QStringLiteral("bob"), QStringLiteral("alice")),
                 QStringLiteral("@direct:alice:bob"));
        QCOMPARE(ChatRooms::directRoomName(QStringLiteral("alice"), QStringLiteral("bob")),
                 QStringLiteral("@direct:alice:bob"));
        // ":" and "\" in an id are escaped, so these two pairs do not meet in "@direct:x:y:z".
        QCOMPARE(ChatRooms::directRoomName(QStringLiteral("x:y"), QStringLiteral("z")),
                 QStringLiteral("@direct:x\\:y:z"));
        QCOMPARE(ChatRooms::directRoomName(QStringLiteral("x"), QStringLiteral("y:z")),
                 QStringLiteral("@direct:x:y\\:z"));
        QCOMPARE(ChatRooms::directRoomName(QStringLiteral("a\\"), QStringLiteral("b")),
                 QStringLiteral("@direct:a\\\\:b"));
        // UTF-8 byte order (as the databases compare in schema 11), not UTF-16's.
        QCOMPARE(ChatRooms::directRoomName(QStringLiteral("😀"), QStringLiteral("Ａ")),
                 QStringLiteral("@direct:Ａ:😀"));
    }

    // Schema 11 renames the direct rooms named by user numbers ("@direct:3:7") as
    // directRoomName() names them now; the rooms keep their id, members and messages. The
    // database is taken back to schema 10 as it was (11 changes names only, no table) and
    // opened again.
    void schema11NamesDirectRoomsByPublicIds_data() { addBackendRows(); }
    void schema11NamesDirectRoomsByPublicIds()
    {
        QFETCH(QString, backend);
        const auto options = fresh(backend);
        QVERIFY(options);
        const QList<std::pair<QString, QString>> pairs{
            {QStringLiteral("bob"), QStringLiteral("alice")},
            {QStringLiteral("x:y"), QStringLiteral("z")},
            {QStringLiteral("x"), QStringLiteral("y:z")},
            {QStringLiteral("alice"), QStringLiteral("back\\slash")},
            {QStringLiteral("😀"), QStringLiteral("Ａ")}};
        QList<qint64> roomIds;
        qint64 lobby = 0;
        {
            Database db(*options);
            QCOMPARE(db.open(), std::nullopt);
            const MessageCipher *cipher = m_cipher.get();
            std::tie(roomIds, lobby) = run(db, [&pairs, cipher](QSqlDatabase &c) {
                QList<qint64> ids;
                for (const auto &[a, b] : pairs) {
                    const qint64 first = ChatRooms::ensureUser(c, a, {}, t0);
                    const qint64 second = ChatRooms::ensureUser(c, b, {}, t0);
                    const RoomInfo room = ChatRooms::directRoom(c, first, second, t0);
                    ChatMessages::appendMessage(
                        c, *cipher,
                        NewMessage{room.id, first, {}, {QStringLiteral("psst"), {}}, t0});
                    // Back to the name schema 10 gave it: the users' numbers, smaller first.
                    const QString numbered =
                        ChatRooms::DirectPrefix + QString::number(std::min(first, second)) +
                        QLatin1Char(':') + QString::number(std::max(first, second));
                    sql::exec(c, QStringLiteral("UPDATE rooms SET name = ? WHERE id = ?"),
                              {numbered, room.id});
                    ids << room.id;
                }
                const auto lobby = ChatRooms::createRoom(c, QStringLiteral("lobby"),
                                                         RoomKind::Public, {}, false, t0);
                sql::exec(c, QStringLiteral("DELETE FROM schema_version WHERE version = 11"));
                return std::make_pair(ids, lobby->id);
            });
            // Later migrations stay recorded: only 11 runs again.
            QCOMPARE(run(db,
                         [](QSqlDatabase &c) {
                             return sql::scalar(c,
                                                QStringLiteral("SELECT COUNT(*) FROM "
                                                               "schema_version WHERE version = 11"))
                                 .toInt();
                         }),
                     0);
        }
        Database db(*options);
        QCOMPARE(db.open(), std::nullopt);
        QCOMPARE(db.schemaVersion(), db.latestSchemaVersion());
        const QStringList expected{
            QStringLiteral("@direct:alice:bob"), QStringLiteral("@direct:x\\:y:z"),
            QStringLiteral("@direct:x:y\\:z"), QStringLiteral("@direct:alice:back\\\\slash"),
            QStringLiteral("@direct:Ａ:😀")};
        const MessageCipher *cipher = m_cipher.get();
        for (qsizetype i = 0; i < pairs.size(); ++i) {
            const qint64 id = roomIds.at(i);
            const auto [room, again, history, members] = run(db, [&, id](QSqlDatabase &c) {
                const auto [a, b] = pairs.at(i);
                // The pair's next direct message finds the renamed room.
                const RoomInfo again = ChatRooms::directRoom(c, *ChatRooms::findUser(c, b),
                                                             *ChatRooms::findUser(c, a), t0 + 1);
                return std::make_tuple(*ChatRooms::room(c, id), again,
                                       ChatMessages::history(c, *cipher, id, {}, 0),
                                       ChatRooms::members(c, id).size());
            });
            QCOMPARE(room.name, expected.at(i));
            QCOMPARE(room.name, ChatRooms::directRoomName(pairs.at(i).first, pairs.at(i).second));
            QCOMPARE(again.id, id);
            QCOMPARE(history.size(), 1);
            QCOMPARE(history.at(0).content.text, QStringLiteral("psst")); // still opens
            QCOMPARE(members, 2);
        }
        QCOMPARE(run(db, [lobby](QSqlDatabase &c) { return ChatRooms::room(c, lobby)->name; }),
                 QStringLiteral("lobby"));
    }

    void reactionsCount_data() { addBackendRows(); }
    void reactionsCount()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        send(m_room, m_alice, QStringLiteral("react to me"));
        const qint64 room = m_room;
        qint64 clock = t0;
        const auto react = [&](qint64 seq, qint64 user, const QString &emoji, bool add) {
            const qint64 at = ++clock;
            return run(*m_db, [=](QSqlDatabase &c) {
                return ChatMessages::react(c, room, seq, user, emoji, add, at);
            });
        };
        const QString up = QStringLiteral("👍"), heart = QStringLiteral("❤️");
        QCOMPARE(react(1, m_alice, up, true), ChangeResult::Ok);
        QCOMPARE(react(1, m_bob, up, true), ChangeResult::Ok);
        QCOMPARE(react(1, m_alice, up, true), ChangeResult::Ok); // idempotent
        QCOMPARE(react(1, m_alice, heart, true), ChangeResult::Ok);
        QCOMPARE(react(7, m_alice, up, true), ChangeResult::NotFound);
        auto summary = history({}).value(0).reactions;
        QCOMPARE(summary.size(), 2);
        QCOMPARE(summary[0].emoji, up);
        QCOMPARE(summary[0].count, 2);
        QCOMPARE(summary[1].emoji, heart);
        QCOMPARE(summary[1].count, 1);
        QVERIFY(!summary[0].me && !summary[1].me); // read as nobody
        // `me`: the reader's own emojis, in the same query.
        const auto bobs = history({}, 0, m_bob).value(0).reactions;
        QCOMPARE(bobs.size(), 2);
        QVERIFY(bobs[0].me && !bobs[1].me);
        QCOMPARE(react(1, m_alice, up, false), ChangeResult::Ok);
        QCOMPARE(after(0).value(0).reactions.value(0).count, 1);
        QVERIFY(after(0, 100, m_bob).value(0).reactions.value(0).me);
        QVERIFY(!after(0, 100, m_alice).value(0).reactions.value(0).me);
        remove(1, m_alice);
        QCOMPARE(react(1, m_bob, up, true), ChangeResult::Deleted);
        QCOMPARE(run(*m_db,
                     [](QSqlDatabase &c) {
                         return sql::scalar(c, QStringLiteral("SELECT COUNT(*) FROM reactions"))
                             .toLongLong();
                     }),
                 0);
    }

    void purgeBySenderOnlyRecent_data() { addBackendRows(); }
    void purgeBySenderOnlyRecent()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        send(m_room, m_alice, QStringLiteral("old"), {}, t0 + 1000);    // 1
        send(m_room, m_alice, QStringLiteral("spam1"), {}, t0 + 2000);  // 2
        send(m_room, m_bob, QStringLiteral("innocent"), {}, t0 + 2500); // 3
        send(m_room, m_alice, QStringLiteral("spam2"), {}, t0 + 3000);  // 4
        const qint64 room = m_room, alice = m_alice;
        const auto purged = run(*m_db, [=](QSqlDatabase &c) {
            return ChatMessages::purgeBySender(c, room, alice, t0 + 2000, t0 + 4000);
        });
        QCOMPARE(purged, (QList<qint64>{2, 4}));
        QCOMPARE(seqsOf(history({})), (QList<qint64>{3, 1}));
        QCOMPARE(rawRow(*m_db, m_room, 4).body.size(), 0);
        QCOMPARE(after(1).value(0).deletedAtMs, t0 + 4000);
    }

    void e2eStoredVerbatim_data() { addBackendRows(); }
    void e2eStoredVerbatim()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        QByteArray opaque("\x00\x01\xff\xfe olm \x00 body", 16);
        opaque += QByteArray(300, '\x80');
        const E2eContent e2e{opaque, QStringLiteral("m.megolm.v1"), QStringLiteral("DEV1")};
        const MessageCipher *cipher = m_cipher.get();
        const qint64 room = m_room, alice = m_alice;
        const auto stored = run(*m_db, [=](QSqlDatabase &c) {
            return ChatMessages::appendMessage(c, *cipher,
                                               NewMessage{room, alice, {}, {{}, e2e}, t0});
        });
        QCOMPARE(stored->seq, 1);
        const RawRow row = rawRow(*m_db, m_room, 1);
        QCOMPARE(row.body, opaque);
        QCOMPARE(row.kind, QStringLiteral("e2e"));
        QVERIFY(row.keyId.isNull());
        QVERIFY(row.nonce.isNull());
        for (const ChatMessage &m : {history({}).value(0), after(0).value(0)}) {
            QVERIFY(m.content.e2e);
            QCOMPARE(m.content.e2e->ciphertext, opaque);
            QCOMPARE(m.content.e2e->algorithm, e2e.algorithm);
            QCOMPARE(m.content.e2e->senderDevice, e2e.senderDevice);
            QCOMPARE(m.error, std::nullopt);
        }
    }

    void usersAndRoomSettings_data() { addBackendRows(); }
    void usersAndRoomSettings()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        const qint64 room = m_room;
        const auto [again, name1, renamed, name2, taken, changes,
                    info] = run(*m_db, [=](QSqlDatabase &c) {
            const qint64 again = ChatRooms::ensureUser(c, QStringLiteral("sub-alice"), {}, t0);
            const QString name1 = ChatRooms::members(c, room).value(0).displayName;
            const qint64 renamed = ChatRooms::ensureUser(c, QStringLiteral("sub-alice"), "Al", t0);
            const QString name2 = ChatRooms::members(c, room).value(0).displayName;
            const bool taken =
                !ChatRooms::createRoom(c, QStringLiteral("lobby"), RoomKind::Public, {}, false, t0);
            const QList<bool> changes{ChatRooms::setTopic(c, room, QStringLiteral("news")),
                                      ChatRooms::setSlowMode(c, room, 30),
                                      ChatRooms::setLocked(c, room, true),
                                      ChatRooms::setLocked(c, 999, true)};
            return std::make_tuple(again, name1, renamed, name2, taken, changes,
                                   ChatRooms::room(c, room));
        });
        QCOMPARE(again, m_alice);
        QCOMPARE(renamed, m_alice);
        QCOMPARE(name1, QStringLiteral("Alice")); // an empty display name keeps the old one
        QCOMPARE(name2, QStringLiteral("Al"));
        QVERIFY(taken);
        QCOMPARE(changes, (QList<bool>{true, true, true, false}));
        QCOMPARE(info->topic, QStringLiteral("news"));
        QCOMPARE(info->slowModeS, 30);
        QVERIFY(info->locked);
        QVERIFY(!info->e2e);
    }
};

QTEST_GUILESS_MAIN(TestChatStore)
#include "tst_chatstore.moc"
