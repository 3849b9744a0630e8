// Integration tests of SendBatch, the group commit of `send`s: every rule gives the same answer
// on SQLite (the careful way only) and on PostgreSQL (plain sends in one or two statements for
// the batch, SendBatchPostgres, the rest the careful way), also when what SendMemory remembers
// is no longer true, and seqs stay gap-free and in order.
#include "ChatStoreTesting.h"
#include "chat/ChatStore.h"
#include "chat/SendBatch.h"
#include "chat/SendMemory.h"
#include "moderation/ModerationStore.h"
#include "storage/Sql.h"
#include "storage/StorageTestBase.h"
#include "storage/Transaction.h"

#include <QFile>
#include <QSqlError>
#include <QThread>

using namespace veza::chat;
using namespace veza::storage;
using veza::crypto::MessageCipher;
using veza::moderation::ModerationStore;
using veza::testing::run;
using Status = SendOutcome::Status;

namespace {

constexpr qint64 t0 = 1'700'000'000'000;

SendRequest sendOf(const QString &room, qint64 sender, const QString &text,
                   const QString &clientId = {})
{
    SendRequest request;
    request.roomName = room;
    request.message.senderId = sender;
    request.message.clientMsgId = clientId;
    request.message.content.text = text;
    return request;
}

// A plaintext send where E2E_ENCRYPTION=required.
SendRequest plaintextRequired(const QString &room, qint64 sender, const QString &text)
{
    SendRequest request = sendOf(room, sender, text);
    request.e2eRequired = true;
    return request;
}

} // namespace

class TestSendBatch : public veza::testing::StorageTestBase
{
    Q_OBJECT

    std::unique_ptr<MessageCipher> m_cipher;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SendMemory> m_memory; // the batches' memory, as ChatService's lane has
    QString m_backend;
    qint64 m_alice = 0, m_bob = 0, m_carol = 0, m_dave = 0;
    qint64 m_lobby = 0, m_den = 0, m_slow = 0;

    // alice, bob and dave in "lobby" (dave banned there); alice and bob in "den", in "slow"
    // (one message a minute; bob moderates it), in "shut" (locked) and in "secret" (end-to-end
    // encrypted); carol in no room.
    bool setUp(const QString &backend, int poolSize = 4)
    {
        m_db = openFresh(backend, poolSize);
        m_backend = backend;
        m_memory = std::make_unique<SendMemory>();
        if (!m_db)
            return false;
        run(*m_db, [this](QSqlDatabase &c) {
            m_alice = ChatRooms::ensureUser(c, QStringLiteral("alice"), {}, t0);
            m_bob = ChatRooms::ensureUser(c, QStringLiteral("bob"), {}, t0);
            m_carol = ChatRooms::ensureUser(c, QStringLiteral("carol"), {}, t0);
            m_dave = ChatRooms::ensureUser(c, QStringLiteral("dave"), {}, t0);
            const auto create = [&c](const char *name) {
                return ChatRooms::createRoom(c, QString::fromLatin1(name), RoomKind::Public, {},
                                             false, t0)
                    ->id;
            };
            m_lobby = create("lobby");
            m_den = create("den");
            m_slow = create("slow");
            const qint64 shut = create("shut");
            const qint64 secret =
                ChatRooms::createRoom(c, QStringLiteral("secret"), RoomKind::Public, {}, true, t0)
                    ->id;
            ChatRooms::setLocked(c, shut, true);
            for (const qint64 room : {m_lobby, m_den, m_slow, shut, secret}) {
                ChatRooms::join(c, room, m_alice, t0);
                ChatRooms::join(c, room, m_bob, t0);
            }
            ChatRooms::join(c, m_lobby, m_dave, t0);
            ModerationStore::ban(c, m_lobby, m_dave, std::nullopt, m_alice, QStringLiteral("spam"),
                                 t0);
            ChatRooms::setSlowMode(c, m_slow, 60);
            ModerationStore::grantModerator(c, m_slow, m_bob, m_alice, t0);
            return true;
        });
        return true;
    }

    SendBatch::Result commit(QList<SendRequest> requests)
    {
        const MessageCipher *cipher = m_cipher.get();
        SendMemory *memory = m_memory.get();
        return run(*m_db, [cipher, memory, requests](QSqlDatabase &c) {
            return SendBatch::commit(c, *cipher, *memory, requests);
        });
    }

    // The room's messages in seq order: (seq, text, created_at).
    QList<ChatMessage> messagesOf(qint64 room)
    {
        const MessageCipher *cipher = m_cipher.get();
        return run(*m_db, [cipher, room](QSqlDatabase &c) {
            return ChatMessages::messagesAfter(c, *cipher, room, 0, 100, 0);
        });
    }

    void verifyGapFreeAndTimed(qint64 room, const QStringList &texts)
    {
        const QList<ChatMessage> stored = messagesOf(room);
        QCOMPARE(stored.size(), texts.size());
        for (qsizetype i = 0; i < stored.size(); ++i) {
            QCOMPARE(stored[i].seq, i + 1);
            // The body was sealed for this very (room, seq): it opens.
            QCOMPARE(stored[i].content.text, texts[i]);
            if (i > 0)
                QVERIFY(stored[i].createdAtMs >= stored[i - 1].createdAtMs);
        }
    }

    // One batch with what PostgreSQL logged meanwhile (statements with SET log_statement = 'all'
    // on a pool of one worker; nothing on SQLite): its statements, PREPAREs aside (EXECUTEs with
    // their parameters), and its errors. A statement that fails sends its whole batch the careful
    // way.
    struct Logged
    {
        SendBatch::Result result;
        QStringList statements;
        QStringList errors;
        QString text; // all of it, with auto_explain's plans when loaded
    };
    Logged logged(const QList<SendRequest> &batch)
    {
        const auto mark = [this](const char *marker) {
            run(*m_db, [marker](QSqlDatabase &c) {
                sql::exec(c, QStringLiteral("SELECT '%1'").arg(QLatin1String(marker)));
                return true;
            });
        };
        Logged logged;
        if (m_backend != QLatin1String("postgresql")) {
            logged.result = commit(batch);
            return logged;
        }
        mark("batch-starts");
        logged.result = commit(batch);
        mark("batch-ends");
        QFile log(m_pg.logFile());
        if (!log.open(QIODevice::ReadOnly))
            return {logged.result, {}, {QStringLiteral("no log")}};
        const QString text = QString::fromUtf8(log.readAll());
        const qsizetype from = text.lastIndexOf(QStringLiteral("'batch-starts'"));
        const qsizetype to = text.lastIndexOf(QStringLiteral("'batch-ends'"));
        if (from < 0 || to < from)
            return {logged.result, {}, {QStringLiteral("no markers")}};
        logged.text = text.mid(from, to - from);
        for (const QString &line : logged.text.split(QLatin1Char('\n'))) {
            const qsizetype at = line.indexOf(QStringLiteral("LOG:  statement: "));
            if (at >= 0 && !line.contains(QStringLiteral("statement: PREPARE")))
                logged.statements << line.mid(at + 17);
            if (line.contains(QStringLiteral("ERROR:")))
                logged.errors << line;
        }
        if (!logged.statements.isEmpty())
            logged.statements.removeLast(); // the closing marker's own line
        return logged;
    }

    // A batch of plain sends, all stored without an error: its statements.
    QStringList statementsOf(const QList<SendRequest> &batch)
    {
        const Logged log = logged(batch);
        for (const SendOutcome &outcome : log.result.outcomes)
            if (outcome.status != Status::Stored)
                return {QStringLiteral("a send was not stored")};
        return log.errors.isEmpty() ? log.statements : log.errors;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(ensurePostgres(), qPrintable(m_pg.errorString()));
        m_cipher = veza::testing::testCipher();
        QVERIFY(m_cipher);
    }
    void cleanup() { m_db.reset(); }

    // One batch holding every case a send can be: stored, refused by each rule, a retry of a
    // stored message, a retry within the batch, slow mode and its exemption; each answered as
    // alone, and every room's seqs gap-free in the order the sends came.
    void everyRuleInOneBatch_data() { addBackendRows(); }
    void everyRuleInOneBatch()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        QCOMPARE(commit({sendOf("lobby", m_alice, "first", "c-first")}).outcomes[0].stored.seq, 1);

        const QList<SendRequest> batch{
            sendOf("lobby", m_alice, "second"),           // 0: lobby 2
            sendOf("den", m_bob, "den one"),              // 1: den 1
            sendOf("nowhere", m_alice, "lost"),           // 2: no such room
            sendOf("lobby", m_carol, "let me in"),        // 3: not a member
            sendOf("lobby", m_dave, "still here"),        // 4: banned
            sendOf("lobby", m_alice, "first", "c-first"), // 5: a retry: lobby 1 again
            sendOf("lobby", m_bob, "third"),              // 6: lobby 3, after the retry
            sendOf("slow", m_alice, "slow one"),          // 7: slow 1, alice's turn
            sendOf("slow", m_alice, "too soon"),          // 8: slow mode
            sendOf("slow", m_bob, "moderator"),           // 9: slow 2, exempt
            sendOf("den", m_alice, "den two", "c-den"),   // 10: den 2
            sendOf("den", m_alice, "den two", "c-den"),   // 11: den 2 again (a retry)
            sendOf("den", m_bob, "den three"),            // 12: den 3
            sendOf("shut", m_alice, "knock"),             // 13: locked
            plaintextRequired("secret", m_alice, "hi"),   // 14: plaintext in an e2e room
        };
        const SendBatch::Result result = commit(batch);
        QCOMPARE(result.outcomes.size(), batch.size());
        QCOMPARE(result.committed, int(batch.size()));
        const auto &o = result.outcomes;
        const QList<Status> statuses{
            Status::Stored,     Status::Stored, Status::NotFound,        Status::NotMember,
            Status::Sanctioned, Status::Stored, Status::Stored,          Status::Stored,
            Status::SlowMode,   Status::Stored, Status::Stored,          Status::Stored,
            Status::Stored,     Status::Locked, Status::PlaintextRefused};
        for (qsizetype i = 0; i < statuses.size(); ++i)
            QVERIFY2(o[i].status == statuses[i], qPrintable(QStringLiteral("send %1").arg(i)));
        QCOMPARE(o[0].stored.seq, 2);
        QCOMPARE(o[1].stored.seq, 1);
        QCOMPARE(o[4].sanction.kind, veza::moderation::SanctionState::Kind::Banned);
        QCOMPARE(o[5].stored.seq, 1);
        QVERIFY(o[5].stored.duplicate);
        QCOMPARE(o[6].stored.seq, 3);
        QCOMPARE(o[7].stored.seq, 1);
        QVERIFY(o[8].retryAfterMs > 0);
        QCOMPARE(o[9].stored.seq, 2);
        QCOMPARE(o[10].stored.seq, 2);
        QCOMPARE(o[11].stored.seq, 2);
        QVERIFY(o[11].stored.duplicate);
        QCOMPARE(o[12].stored.seq, 3);
        QCOMPARE(o[0].room.name, QStringLiteral("lobby"));

        verifyGapFreeAndTimed(m_lobby, {"first", "second", "third"});
        verifyGapFreeAndTimed(m_den, {"den one", "den two", "den three"});
        verifyGapFreeAndTimed(m_slow, {"slow one", "moderator"});
    }

    // What a client chooses (its client_msg_id, an e2e message's algorithm and device, the
    // ciphertext's bytes) travels inside the batch's JSON parameter: quotes, backslashes,
    // non-ASCII and NUL bytes arrive as sent, and a retry with the same id is found.
    void clientTextIsStoredAsSent_data() { addBackendRows(); }
    void clientTextIsStoredAsSent()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend));
        const QString oddId = QStringLiteral("q'\"\\\u00e9\u2603;--");
        SendRequest e2e = sendOf("den", m_alice, {}, oddId);
        e2e.message.content.e2e =
            E2eContent{QByteArray("\0\x01'\"\\\xff", 6), QStringLiteral("alg'\"\\"),
                       QStringLiteral("device \u00e9")};
        const SendBatch::Result first = commit({e2e, sendOf("den", m_bob, "plain")});
        QVERIFY(first.outcomes[0].status == Status::Stored);
        QCOMPARE(first.outcomes[0].stored.seq, 1);
        QCOMPARE(first.outcomes[1].stored.seq, 2);
        const SendBatch::Result again = commit({e2e});
        QVERIFY(again.outcomes[0].stored.duplicate);
        QCOMPARE(again.outcomes[0].stored.seq, 1);

        const QList<ChatMessage> stored = messagesOf(m_den);
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored[0].clientMsgId, oddId);
        QVERIFY(stored[0].content.e2e);
        QCOMPARE(stored[0].content.e2e->ciphertext, e2e.message.content.e2e->ciphertext);
        QCOMPARE(stored[0].content.e2e->algorithm, e2e.message.content.e2e->algorithm);
        QCOMPARE(stored[0].content.e2e->senderDevice, e2e.message.content.e2e->senderDevice);
        QCOMPARE(stored[1].content.text, QStringLiteral("plain"));
    }

    // On PostgreSQL a batch of plain sends costs one statement once the lane's memory knows its
    // rooms and senders, two before, whatever its size (it cost four per send plus BEGIN and
    // COMMIT: the round trips were most of the database's CPU and the tail of the latency at
    // 1,000 sends a second; with one lane, each round trip is also the next batch's wait).
    void plainSendsCostOneStatementOnPostgres()
    {
        QVERIFY(setUp(QStringLiteral("postgresql"), 1)); // one worker: one session to follow
        run(*m_db, [](QSqlDatabase &c) {
            sql::exec(c, QStringLiteral("SET log_statement = 'all'"));
            // Every statement's plan in the log too.
            sql::exec(c, QStringLiteral("LOAD 'auto_explain'"));
            sql::exec(c, QStringLiteral("SET auto_explain.log_min_duration = 0"));
            return true;
        });
        const auto batchOf = [this](int from) {
            QList<SendRequest> batch;
            for (int i = from; i < from + 20; ++i) {
                const char *room = i % 2 ? "lobby" : "den";
                batch << sendOf(QString::fromLatin1(room), i % 3 ? m_alice : m_bob,
                                QStringLiteral("message %1").arg(i), QStringLiteral("c%1").arg(i));
            }
            return batch;
        };
        QStringList texts;
        for (int i = 0; i < 80; i += 2)
            texts << QStringLiteral("message %1").arg(i);

        // The read's parameter holds the sends, the write's the messages (with their bodies).
        const auto isWrite = [](const QString &statement) {
            return statement.contains(QStringLiteral("content_kind"));
        };
        const QStringList first = statementsOf(batchOf(0));
        QVERIFY2(first.size() == 2, qPrintable(first.join(QLatin1Char('\n')).left(2000)));
        QVERIFY(!isWrite(first[0]) && isWrite(first[1]));
        const QStringList second = statementsOf(batchOf(20));
        QVERIFY2(second.size() == 1, qPrintable(second.join(QLatin1Char('\n')).left(2000)));
        QVERIFY(isWrite(second[0]));
        // The write's look-ups are one index probe per send: as a hashed subplan PostgreSQL
        // scanned all of room_members for every batch (5 ms a statement at 10,000 members).
        const Logged planned = logged(batchOf(40));
        QVERIFY(planned.text.contains(QStringLiteral("Index Only Scan using room_members_pkey")));
        QVERIFY2(!planned.text.contains(QStringLiteral("hashed SubPlan")),
                 qPrintable(planned.text.right(4000)));
        // Another writer moves den: the memory's next seq for it is wrong. Den's sends go the
        // careful way, lobby's are written; den is read again in the batch after.
        run(*m_db, [this](QSqlDatabase &c) {
            return ChatMessages::appendMessage(c, *m_cipher,
                                               NewMessage{m_den, m_bob, {}, {"elsewhere", {}}, t0})
                ->seq;
        });
        texts.insert(30, QStringLiteral("elsewhere"));
        const QStringList third = statementsOf(batchOf(60));
        QVERIFY2(third.size() > 1 && isWrite(third[0]),
                 qPrintable(third.join(QLatin1Char('\n')).left(2000)));
        QList<SendRequest> denAgain{sendOf("den", m_bob, "read again")};
        texts << QStringLiteral("read again");
        QCOMPARE(statementsOf(denAgain).size(), 2);
        verifyGapFreeAndTimed(m_den, texts);
    }

    // What the memory says can be wrong by the next batch: a rule changed since (a ban, a lock,
    // a member gone, slow mode switched on, the room made end-to-end, renamed), a retry of a
    // stored message, another writer's message. The write checks it all: each send is answered
    // as it would be with nothing remembered, nothing is written that a rule refuses, and no
    // statement fails on a constraint (which would send the whole batch the careful way).
    void aStaleMemoryRefusesWhatTheRulesRefuse_data() { addBackendRows(); }
    void aStaleMemoryRefusesWhatTheRulesRefuse()
    {
        QFETCH(QString, backend);
        QVERIFY(setUp(backend, 1));
        const bool postgres = backend == QLatin1String("postgresql");
        const QStringList names{"banned", "locked", "left",  "slowed", "sealed",
                                "retry",  "moved",  "named", "plain"};
        QHash<QString, qint64> ids;
        run(*m_db, [this, &names, &ids, postgres](QSqlDatabase &c) {
            if (postgres)
                sql::exec(c, QStringLiteral("SET log_statement = 'all'"));
            for (const QString &name : names) {
                const qint64 id =
                    ChatRooms::createRoom(c, name, RoomKind::Public, {}, false, t0)->id;
                ChatRooms::join(c, id, m_alice, t0);
                ids.insert(name, id);
            }
            return true;
        });
        QList<SendRequest> warm;
        for (const QString &name : names)
            warm << sendOf(name, m_alice, QStringLiteral("hello"), QStringLiteral("c-") + name);
        for (const SendOutcome &outcome : commit(warm).outcomes)
            QVERIFY(outcome.status == Status::Stored);

        qint64 renamedId = 0;
        run(*m_db, [&](QSqlDatabase &c) {
            ModerationStore::ban(c, ids["banned"], m_alice, std::nullopt, m_bob, {}, t0);
            ChatRooms::setLocked(c, ids["locked"], true);
            ChatRooms::leave(c, ids["left"], m_alice);
            ChatRooms::setSlowMode(c, ids["slowed"], 60); // alice's last post was just now
            sql::exec(c, QStringLiteral("UPDATE rooms SET e2e = true WHERE id = ?"),
                      {ids["sealed"]});
            ChatMessages::appendMessage(
                c, *m_cipher, NewMessage{ids["moved"], m_alice, {}, {"elsewhere", {}}, t0});
            sql::exec(c, QStringLiteral("UPDATE rooms SET name = 'renamed' WHERE id = ?"),
                      {ids["named"]});
            renamedId =
                ChatRooms::createRoom(c, QStringLiteral("named"), RoomKind::Public, {}, false, t0)
                    ->id;
            ChatRooms::join(c, renamedId, m_alice, t0);
            return true;
        });

        // The rules, in one batch.
        const Logged rules = logged({
            sendOf("banned", m_alice, "x"),              // 0
            sendOf("locked", m_alice, "x"),              // 1
            sendOf("left", m_alice, "x"),                // 2
            sendOf("slowed", m_alice, "x"),              // 3
            plaintextRequired("sealed", m_alice, "x"),   // 4
            sendOf("named", m_alice, "to the new room"), // 5: the new room's seq 1
            sendOf("plain", m_alice, "second"),          // 6: seq 2
        });
        const auto &o = rules.result.outcomes;
        QCOMPARE(o.size(), 7);
        const QList<Status> statuses{
            Status::Sanctioned,       Status::Locked, Status::NotMember, Status::SlowMode,
            Status::PlaintextRefused, Status::Stored, Status::Stored};
        for (qsizetype i = 0; i < statuses.size(); ++i)
            QVERIFY2(o[i].status == statuses[i], qPrintable(QStringLiteral("send %1").arg(i)));
        QCOMPARE(o[5].room.id, renamedId);
        QCOMPARE(o[5].stored.seq, 1);
        QCOMPARE(o[6].stored.seq, 2);
        QVERIFY2(rules.errors.isEmpty(), qPrintable(rules.errors.join(QLatin1Char('\n'))));

        // What a constraint would catch too, but by failing the batch's write.
        const Logged rows = logged({
            sendOf("retry", m_alice, "hello", "c-retry"),    // 0: seq 1 again
            sendOf("moved", m_alice, "after the other one"), // 1: seq 3
            sendOf("plain", m_alice, "third"),               // 2: seq 3
        });
        QCOMPARE(rows.result.outcomes.size(), 3);
        for (const SendOutcome &outcome : rows.result.outcomes)
            QVERIFY(outcome.status == Status::Stored);
        QVERIFY(rows.result.outcomes[0].stored.duplicate);
        QCOMPARE(rows.result.outcomes[0].stored.seq, 1);
        QCOMPARE(rows.result.outcomes[1].stored.seq, 3);
        QCOMPARE(rows.result.outcomes[2].stored.seq, 3);
        QVERIFY2(rows.errors.isEmpty(), qPrintable(rows.errors.join(QLatin1Char('\n'))));

        for (const char *refused : {"banned", "locked", "left", "slowed", "sealed", "retry"})
            verifyGapFreeAndTimed(ids[QLatin1String(refused)], {"hello"});
        verifyGapFreeAndTimed(ids["moved"], {"hello", "elsewhere", "after the other one"});
        verifyGapFreeAndTimed(ids["named"], {"hello"});
        verifyGapFreeAndTimed(renamedId, {"to the new room"});
        verifyGapFreeAndTimed(ids["plain"], {"hello", "second", "third"});
    }

    // Only sends that pass are remembered: a sender the rules refuse (here, not a member) is
    // read again each time and takes no room in the memory, however many rooms he tries.
    void refusedSendersAreNotRemembered()
    {
        QVERIFY(setUp(QStringLiteral("postgresql")));
        const SendBatch::Result refused =
            commit({sendOf("lobby", m_carol, "let me in"), sendOf("den", m_carol, "or here")});
        QVERIFY(refused.outcomes[0].status == Status::NotMember);
        QVERIFY(refused.outcomes[1].status == Status::NotMember);
        QCOMPARE(m_memory->roomCount(), 0);
        QVERIFY(commit({sendOf("lobby", m_alice, "hi")}).outcomes[0].status == Status::Stored);
        QCOMPARE(m_memory->roomCount(), 1);
        QVERIFY(!m_memory->recall(QStringLiteral("lobby"), m_carol));
        QVERIFY(m_memory->recall(QStringLiteral("lobby"), m_alice));
    }

    // A sender banned after the memory learnt of him: his first send fails the room's write and
    // goes the careful way; from then on his sends are settled by a read and the others in his
    // room are written with them, two statements a batch, not the careful way batch after batch.
    void aRefusedSenderDoesNotHoldUpHisRoom()
    {
        QVERIFY(setUp(QStringLiteral("postgresql"), 1));
        run(*m_db, [](QSqlDatabase &c) {
            sql::exec(c, QStringLiteral("SET log_statement = 'all'"));
            return true;
        });
        QCOMPARE(commit({sendOf("den", m_alice, "a1"), sendOf("den", m_bob, "b1")}).committed, 2);
        run(*m_db, [this](QSqlDatabase &c) {
            ModerationStore::ban(c, m_den, m_alice, std::nullopt, m_bob, {}, t0);
            return true;
        });
        const SendBatch::Result first =
            commit({sendOf("den", m_alice, "a2"), sendOf("den", m_bob, "b2")});
        QVERIFY(first.outcomes[0].status == Status::Sanctioned);
        QVERIFY(first.outcomes[1].status == Status::Stored);
        QCOMPARE(statementsOf({sendOf("den", m_bob, "b3")}).size(), 2); // den read again

        const Logged again = logged({sendOf("den", m_alice, "a3"), sendOf("den", m_bob, "b4")});
        QVERIFY(again.result.outcomes[0].status == Status::Sanctioned);
        QVERIFY(again.result.outcomes[1].status == Status::Stored);
        QVERIFY2(again.statements.size() == 2,
                 qPrintable(again.statements.join(QLatin1Char('\n')).left(2000)));
        verifyGapFreeAndTimed(m_den, {"a1", "b1", "b2", "b3", "b4"});
    }

    // However many rooms and senders pass, the memory keeps a bounded number.
    void theMemoryStaysBounded()
    {
        SendMemory memory;
        SendAccess access;
        access.member = true;
        for (qint64 id = 1; id <= SendMemory::kMaxRooms + 10; ++id) {
            RoomInfo room;
            room.id = id;
            room.name = QStringLiteral("room %1").arg(id);
            access.room = room;
            memory.remember(access, 7, t0);
            memory.written(room, t0);
            QVERIFY(memory.roomCount() <= SendMemory::kMaxRooms);
        }
        QVERIFY(memory.recall(QStringLiteral("room %1").arg(SendMemory::kMaxRooms + 10), 7));
    }

    // Another writer (another instance) moves a room's last_seq between the batch's read and
    // its write: the write leaves that room alone, and its sends go the careful way after the
    // other writer's commit: seqs stay unique and gap-free, nothing fails.
    void aRoomWrittenMeanwhileStaysGapFree()
    {
        QVERIFY(setUp(QStringLiteral("postgresql")));
        QCOMPARE(commit({sendOf("lobby", m_alice, "one")}).outcomes[0].stored.seq, 1);

        const auto connect = [this](const QString &name) {
            QSqlDatabase c = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            c.setHostName(QStringLiteral("127.0.0.1"));
            c.setPort(m_pg.port());
            c.setUserName(QStringLiteral("veza"));
            c.setDatabaseName(QStringLiteral("t%1").arg(m_counter));
            return c;
        };
        {
            QSqlDatabase other = connect(QStringLiteral("other-writer"));
            QVERIFY2(other.open(), qPrintable(other.lastError().text()));
            QSqlDatabase watcher = connect(QStringLiteral("watcher"));
            QVERIFY2(watcher.open(), qPrintable(watcher.lastError().text()));
            {
                Transaction tx(other, Transaction::Lock::Write);
                const auto stored = ChatMessages::appendInTransaction(
                    other, *m_cipher, NewMessage{m_lobby, m_bob, {}, {"from elsewhere", {}}, t0});
                QCOMPARE(stored->seq, 2); // not committed yet: the batch reads last_seq 1

                const MessageCipher *cipher = m_cipher.get();
                SendMemory *memory = m_memory.get();
                QList<SendRequest> batch{sendOf("lobby", m_alice, "mine"),
                                         sendOf("den", m_alice, "den")};
                auto pending = m_db->run([cipher, memory, batch](QSqlDatabase &c) {
                    return SendBatch::commit(c, *cipher, *memory, batch);
                });
                // Commit only once the batch's write waits for the room's row.
                bool waiting = false;
                for (int i = 0; i < 500 && !waiting; ++i) {
                    sql::Query q = sql::exec(
                        watcher, QStringLiteral("SELECT count(*) FROM pg_locks WHERE NOT granted"));
                    waiting = q.next() && q.value(0).toInt() > 0;
                    if (!waiting)
                        QThread::msleep(10);
                }
                QVERIFY(waiting);
                tx.commit();
                const SendBatch::Result result = pending.result();
                QVERIFY(result.outcomes[0].status == Status::Stored);
                QCOMPARE(result.outcomes[0].stored.seq, 3);
                QVERIFY(result.outcomes[1].status == Status::Stored);
                QCOMPARE(result.outcomes[1].stored.seq, 1);
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("other-writer"));
        QSqlDatabase::removeDatabase(QStringLiteral("watcher"));
        verifyGapFreeAndTimed(m_lobby, {"one", "from elsewhere", "mine"});
        verifyGapFreeAndTimed(m_den, {"den"});
    }
};

QTEST_GUILESS_MAIN(TestSendBatch)
#include "tst_sendbatch.moc"
