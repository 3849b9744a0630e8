#pragma once

#include "storage/GroupCommitQueue.h"
#include "storage/StorageLog.h"
#include "storage/Transaction.h"

#include <QList>
#include <QSqlDatabase>
#include <exception>

namespace veza::storage {

// The body of a group commit (GroupCommitQueue::Commit): `one(request)` for every request, in
// one transaction. A request that fails (a constraint, a lost connection) must not take the
// others down: the batch is then run again with a savepoint around each request, so the failing
// one alone is rolled back and answered with Outcome{} (the failure), and the others commit
// together. If that transaction cannot commit either, every request fails. `what` names the
// requests in the log ("messages"). Inside a Database job, on its worker.
template <typename Outcome, typename Request, typename One>
GroupCommitResult<Outcome> commitTogether(QSqlDatabase &db, QList<Request> &requests,
                                          Transaction::Lock lock, const char *what, One one)
{
    const auto runAll = [&](bool savepoints) {
        QList<Outcome> outcomes;
        outcomes.reserve(requests.size());
        Transaction tx(db, lock);
        for (Request &request : requests) {
            if (!savepoints) {
                outcomes.append(one(request));
                continue;
            }
            Transaction savepoint(db);
            try {
                outcomes.append(one(request));
                savepoint.commit();
            } catch (const std::exception &e) {
                savepoint.rollback();
                qCWarning(lcStorage) << "one of a batch of" << what << "failed:" << e.what();
                outcomes.append(Outcome{});
            }
        }
        tx.commit();
        return outcomes;
    };
    GroupCommitResult<Outcome> result;
    try {
        result.outcomes = runAll(false);
        result.committed = int(result.outcomes.size());
        return result;
    } catch (const std::exception &e) {
        // Rolled back whole: find the culprit, one savepoint per request.
        qCInfo(lcStorage) << "a batch of" << requests.size() << what
                          << "failed, retried one by one:" << e.what();
    }
    try {
        result.outcomes = runAll(true);
        result.committed = int(result.outcomes.size());
    } catch (const std::exception &e) {
        qCWarning(lcStorage) << "a batch of" << what << "was not committed:" << e.what();
        result.outcomes = QList<Outcome>(requests.size(), Outcome{});
        result.committed = 0;
    }
    return result;
}

} // namespace veza::storage
