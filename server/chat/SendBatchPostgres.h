#pragma once

#include "chat/SendBatch.h"

#include <QList>
#include <QSqlDatabase>
#include <optional>

namespace veza::chat {

// SendBatchPostgres: a batch of sends on PostgreSQL in two statements, whatever its size. The
// first reads every send's access at once (SendAccess's columns, one set of rows per send);
// the second writes every message, the rooms' last_seq and the senders' last_sent_at and
// commits by itself (one statement is one transaction: durable when it returns, with
// synchronous_commit on). SendBatch's way costs four statements per send plus BEGIN and
// COMMIT, each a round trip and a wake-up of a database process: at 1,000 sends a second that
// was most of PostgreSQL's CPU and the tail of the messages' latency (docs/performance.md,
// "Chat on PostgreSQL: group commit").
//
// It settles the plain case only and leaves the rest to SendBatch's careful way, which runs
// next in the same job: sends that need a slow-mode turn, retries (a client_msg_id already
// stored, or twice in the batch), rooms whose last_seq moved between the two statements
// (another instance wrote to them), a send whose content cannot be sealed, and every send if
// the write fails. In a room, the sends after one left are left too, so that seqs keep the
// order the sends arrived in. Refusals (SendRules) are settled: they write nothing.
class SendBatchPostgres
{
public:
    static bool appliesTo(const QSqlDatabase &db);

    // One entry per request, in order: its outcome, or nothing when it is left.
    static QList<std::optional<SendOutcome>> store(QSqlDatabase &db,
                                                   const crypto::MessageCipher &cipher,
                                                   const QList<SendRequest> &requests,
                                                   qint64 nowMs);
};

} // namespace veza::chat
