#include "chat/ChatWriteBatcher.h"

#include "metrics/Histogram.h"
#include "storage/Database.h"

#include <QFuture>
#include <QHash>
#include <algorithm>

namespace veza::chat {

ChatWriteBatcher::ChatWriteBatcher(storage::Database &database,
                                   std::shared_ptr<const crypto::MessageCipher> cipher,
                                   Options options, metrics::Histogram &batchSizes, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_cipher(std::move(cipher))
    , m_options(options)
    , m_batchSizes(batchSizes)
    , m_lanes(std::size_t(std::max(1, options.lanes)))
{
}

ChatWriteBatcher::~ChatWriteBatcher() = default;

void ChatWriteBatcher::submit(SendRequest request, Answer answer)
{
    if (m_options.maxWaiting > 0 && m_waiting >= m_options.maxWaiting)
        return answer(SendOutcome{}); // Failed: the database is not keeping up
    const int lane = laneOf(request.roomName);
    m_lanes[std::size_t(lane)].waiting.append({std::move(request), std::move(answer)});
    ++m_waiting;
    if (!m_lanes[std::size_t(lane)].inFlight)
        startBatch(lane);
}

int ChatWriteBatcher::laneOf(const QString &roomName) const
{
    return int(qHash(roomName) % m_lanes.size());
}

void ChatWriteBatcher::startBatch(int lane)
{
    Lane &l = m_lanes[std::size_t(lane)];
    const qsizetype take = std::min<qsizetype>(l.waiting.size(), std::max(1, m_options.maxBatch));
    QList<SendRequest> requests;
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
    const qsizetype count = requests.size();
    m_database
        .run([cipher = m_cipher, requests = std::move(requests)](QSqlDatabase &db) mutable {
            return SendBatch::commit(db, *cipher, std::move(requests));
        })
        .then(this, [this, lane, answers](
                        const SendBatch::Result &result) { finishBatch(lane, answers, result); })
        .onFailed(this, [this, lane, answers, count] {
            // Refused (queue full, shut down) or the connection did not open: nothing stored.
            SendBatch::Result nothing;
            nothing.outcomes = QList<SendOutcome>(count, SendOutcome{});
            finishBatch(lane, answers, nothing);
        });
}

void ChatWriteBatcher::finishBatch(int lane, QList<Answer> answers, const SendBatch::Result &result)
{
    if (result.committedSends > 0)
        m_batchSizes.observe(result.committedSends);
    for (qsizetype i = 0; i < answers.size(); ++i)
        answers[i](i < result.outcomes.size() ? result.outcomes[i] : SendOutcome{});
    Lane &l = m_lanes[std::size_t(lane)];
    l.inFlight = false;
    if (!l.waiting.isEmpty())
        startBatch(lane);
}

} // namespace veza::chat
