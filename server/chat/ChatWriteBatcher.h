#pragma once

#include "chat/SendBatch.h"

#include <QList>
#include <QObject>
#include <functional>
#include <memory>
#include <vector>

namespace veza::storage {
class Database;
}
namespace veza::metrics {
class Histogram;
}

namespace veza::chat {

// ChatWriteBatcher: group commit of chat sends. A send that arrives while its lane's commit is
// in flight waits, and all that waited go in the lane's next transaction (SendBatch) together;
// a send arriving at an idle lane goes at once, alone, so a quiet server adds no delay. Each
// send's answer is called only after the transaction holding its row committed (durable
// before acknowledged) or failed.
//
// Lanes: rooms are spread over `lanes` independent queues by name, so batches in flight at
// the same time never touch the same room's rows (no lock waits, no deadlock between them) and
// PostgreSQL's workers commit in parallel. SQLite has one writer: one lane.
//
// Lives on the chat service's thread; answers run on it too. Never blocks: the transactions run
// on the Database worker pool.
class ChatWriteBatcher : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int lanes = 1;
        int maxBatch = 256;     // sends per transaction at most
        int maxWaiting = 10000; // sends waiting in all lanes past which new ones fail at once
    };
    using Answer = std::function<void(const SendOutcome &)>;

    ChatWriteBatcher(storage::Database &database,
                     std::shared_ptr<const crypto::MessageCipher> cipher, Options options,
                     metrics::Histogram &batchSizes, QObject *parent = nullptr);
    ~ChatWriteBatcher() override;

    void submit(SendRequest request, Answer answer);

private:
    struct Waiting
    {
        SendRequest request;
        Answer answer;
    };
    struct Lane
    {
        QList<Waiting> waiting;
        bool inFlight = false;
    };

    int laneOf(const QString &roomName) const;
    void startBatch(int lane);
    void finishBatch(int lane, QList<Answer> answers, const SendBatch::Result &result);

    storage::Database &m_database;
    std::shared_ptr<const crypto::MessageCipher> m_cipher;
    Options m_options;
    metrics::Histogram &m_batchSizes;
    std::vector<Lane> m_lanes;
    int m_waiting = 0;
};

} // namespace veza::chat
