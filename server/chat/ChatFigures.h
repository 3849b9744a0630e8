#pragma once

#include "chat/ChatMetrics.h"

#include <QMutex>
#include <QObject>
#include <deque>
#include <optional>
#include <vector>

namespace veza::storage {
class Database;
}

namespace veza::chat {

// The chat's figures as an operator watches them (/monitor's `stats`, once a second).
struct ChatFigures
{
    int connections = 0;                 // open /chat connections
    int activeUsers = 0;                 // distinct users among them
    double messagesPerSecond = 0;        // messages stored, over the window
    std::optional<double> deliveryP99Ms; // chat_message_latency_seconds' P99 over the window
    double rateLimitedPerSecond = 0;     // requests refused by the rate limit, over the window
    std::optional<qint64> openReports;   // the review queue's length; empty until first read
};

// ChatFiguresSampler: reads the chat's metrics once a second and keeps the figures of the last
// windowSeconds (rates and the delivery P99 from the histogram's buckets, as Prometheus's
// histogram_quantile() would), and counts the open reports every reportsEverySeconds on the
// database pool. Lives on the main thread; latest() may be read from any thread.
class ChatFiguresSampler : public QObject
{
    Q_OBJECT

public:
    static constexpr int windowSeconds = 10;
    static constexpr int reportsEverySeconds = 5;

    // `database` may be null: no open reports figure.
    ChatFiguresSampler(ChatMetrics &metrics, storage::Database *database,
                       QObject *parent = nullptr);

    ChatFigures latest() const;

    // The P99 (ms) of the observations between two snapshots of a histogram with these bounds
    // (seconds); empty when there were none. Linear within a bucket; the +Inf bucket answers
    // the highest finite bound.
    static std::optional<double> p99Ms(const std::vector<double> &bounds,
                                       const std::vector<quint64> &before,
                                       const std::vector<quint64> &after);

private:
    struct Sample
    {
        double stored = 0;
        double rateLimited = 0;
        std::vector<quint64> latency; // cumulative buckets
    };

    void sample();
    void countReports();

    ChatMetrics &m_metrics;
    storage::Database *m_database;
    std::deque<Sample> m_samples; // main thread; newest last, windowSeconds + 1 at most
    int m_ticks = 0;
    bool m_countingReports = false;
    mutable QMutex m_mutex;
    ChatFigures m_latest; // guarded by m_mutex
};

} // namespace veza::chat
