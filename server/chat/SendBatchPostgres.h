#pragma once

#include "chat/SendBatch.h"
#include "chat/SendMemory.h"

#include <QList>
#include <QSqlDatabase>
#include <optional>

namespace veza::chat {

// SendBatchPostgres: a batch of sends on PostgreSQL in one statement when SendMemory knows its
// rooms and senders, two otherwise, whatever its size. The write stores every message, moves
// the rooms' last_seq and the senders' last_sent_at and commits by itself (one statement is one
// transaction: durable when it returns, with synchronous_commit on); it checks every rule
// itself, so what the memory says is only a plan. When the memory misses a room or sender, a
// read first gets every such send's access at once (SendAccess's columns, one set of rows per
// send). SendBatch's way costs four statements per send plus BEGIN and COMMIT, each a round
// trip and a wake-up of a database process: at 1,000 sends a second that was most of
// PostgreSQL's CPU and the tail of the messages' latency; and with one lane of sends, each
// round trip a batch waits for is the next batch's wait too (docs/performance.md, "Chat on
// PostgreSQL: group commit", "One statement a batch").
//
// It settles the plain case only and leaves the rest to SendBatch's careful way, which runs
// next in the same job: sends that need a slow-mode turn, retries (a client_msg_id already
// stored, or twice in the batch), rooms the write leaves (another instance wrote to them since,
// or a rule the memory did not know of refuses a send), a send whose content cannot be sealed,
// and every send if the write fails. In a room, the sends after one left are left too, so that
// seqs keep the order the sends arrived in. Refusals read in this batch (SendRules) are
// settled: they write nothing.
class SendBatchPostgres
{
public:
    static bool appliesTo(const QSqlDatabase &db);

    // One entry per request, in order: its outcome, or nothing when it is left.
    static QList<std::optional<SendOutcome>>
    store(QSqlDatabase &db, const crypto::MessageCipher &cipher, SendMemory &memory,
          const QList<SendRequest> &requests, qint64 nowMs);
};

} // namespace veza::chat
