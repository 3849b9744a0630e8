#pragma once

#include "storage/Database.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <algorithm>
#include <functional>
#include <vector>

namespace veza::storage {

// What one group commit gave: an outcome per request, in the order of the requests.
template <typename Outcome> struct GroupCommitResult
{
    QList<Outcome> outcomes;
    int committed = 0; // requests answered by the commit; 0: nothing committed
};

// GroupCommitQueue: group commit of database writes. A request that arrives while its lane's
// commit is in flight waits, and all that waited go in the lane's next transaction together;
// a request arriving at an idle lane goes at once, alone, so a quiet server adds no delay.
// Each answer is called only after the transaction holding the request's writes committed
// (durable before acknowledged) or failed: a default-constructed Outcome is the failure.
//
// Lanes: requests are spread over independent queues by a key the caller chooses (a room, a
// user), so the batches in flight at the same time never write the same rows (no lock waits,
// no deadlock between them) and PostgreSQL's workers commit in parallel. SQLite has one
// writer: one lane.
//
// Lives on the context object's thread; answers run on it too. Never blocks: the transactions
// run on the Database worker pool. Destroy it with (or before) the context.
template <typename Request, typename Outcome> class GroupCommitQueue
{
public:
    using Result = GroupCommitResult<Outcome>;
    using Answer = std::function<void(const Outcome &)>;
    // Runs on a worker: one transaction for every request of the batch.
    using Commit = std::function<Result(QSqlDatabase &, QList<Request>)>;
    // After each commit that answered something, with how many requests it answered.
    using Committed = std::function<void(int requests)>;

    struct Options
    {
        int lanes = 1;
        int maxBatch = 256;     // requests per transaction at most
        int maxWaiting = 10000; // requests waiting in all lanes past which new ones fail at once
    };

    GroupCommitQueue(Database &database, QObject *context, Options options, Commit commit,
                     Committed committed = {})
        : m_database(database)
        , m_context(context)
        , m_options(options)
        , m_commit(std::move(commit))
        , m_committed(std::move(committed))
        , m_lanes(std::size_t(std::max(1, options.lanes)))
    {
    }

    // `laneKey`: requests with the same key go in the same lane, in the order submitted.
    void submit(Request request, Answer answer, std::size_t laneKey)
    {
        if (m_options.maxWaiting > 0 && m_waiting >= m_options.maxWaiting)
            return answer(Outcome{}); // failed: the database is not keeping up
        const std::size_t lane = laneKey % m_lanes.size();
        m_lanes[lane].waiting.append({std::move(request), std::move(answer)});
        ++m_waiting;
        if (!m_lanes[lane].inFlight)
            startBatch(lane);
    }

private:
    struct Waiting
    {
        Request request;
        Answer answer;
    };
    struct Lane
    {
        QList<Waiting> waiting;
        bool inFlight = false;
    };

    void startBatch(std::size_t lane)
    {
        Lane &l = m_lanes[lane];
        const qsizetype take =
            std::min<qsizetype>(l.waiting.size(), std::max(1, m_options.maxBatch));
        QList<Request> requests;
        QList<Answer> answers;
        requests.reserve(take);
        answers.reserve(take);
        for (qsizetype i = 0; i < take; ++i) {
            requests.append(std::move(l.waiting[i].request));
            answers.append(std::move(l.waiting[i].answer));
        }
        l.waiting.remove(0, take);
        m_waiting -= int(take);
        l.inFlight = true;
        m_database
            .run([commit = m_commit, requests = std::move(requests)](QSqlDatabase &db) mutable {
                return commit(db, std::move(requests));
            })
            .then(m_context, [this, lane, answers](
                                 const Result &result) { finishBatch(lane, answers, result); })
            .onFailed(m_context, [this, lane, answers] {
                // Refused (queue full, shut down) or the connection did not open: nothing
                // written.
                finishBatch(lane, answers, Result{});
            });
    }

    void finishBatch(std::size_t lane, const QList<Answer> &answers, const Result &result)
    {
        if (result.committed > 0 && m_committed)
            m_committed(result.committed);
        for (qsizetype i = 0; i < answers.size(); ++i)
            answers[i](i < result.outcomes.size() ? result.outcomes[i] : Outcome{});
        Lane &l = m_lanes[lane];
        l.inFlight = false;
        if (!l.waiting.isEmpty())
            startBatch(lane);
    }

    Database &m_database;
    QObject *m_context;
    Options m_options;
    Commit m_commit;
    Committed m_committed;
    std::vector<Lane> m_lanes;
    int m_waiting = 0;
};

} // namespace veza::storage
