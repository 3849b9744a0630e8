#include "chat/ChatFigures.h"

#include "moderation/ReportStore.h"
#include "storage/Database.h"

#include <QFuture>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcChatFigures, "veza.chat.figures")

namespace veza::chat {

ChatFiguresSampler::ChatFiguresSampler(ChatMetrics &metrics, storage::Database *database,
                                       QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
    , m_database(database)
{
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &ChatFiguresSampler::sample);
    timer->start(1000);
    sample();
}

ChatFigures ChatFiguresSampler::latest() const
{
    QMutexLocker lock(&m_mutex);
    return m_latest;
}

void ChatFiguresSampler::sample()
{
    m_samples.push_back({m_metrics.messages.labels({QStringLiteral("stored")}).value(),
                         m_metrics.rateLimited.value(),
                         m_metrics.latency.snapshot().cumulativeCounts});
    while (m_samples.size() > size_t(windowSeconds + 1))
        m_samples.pop_front();
    const Sample &first = m_samples.front();
    const Sample &last = m_samples.back();
    const double seconds = double(std::max<size_t>(1, m_samples.size() - 1));
    {
        QMutexLocker lock(&m_mutex);
        m_latest.connections = int(m_metrics.connections.value());
        m_latest.activeUsers = int(m_metrics.activeUsers.value());
        m_latest.messagesPerSecond = (last.stored - first.stored) / seconds;
        m_latest.rateLimitedPerSecond = (last.rateLimited - first.rateLimited) / seconds;
        m_latest.deliveryP99Ms =
            p99Ms(m_metrics.latency.upperBounds(), first.latency, last.latency);
    }
    if (m_ticks++ % reportsEverySeconds == 0)
        countReports();
}

void ChatFiguresSampler::countReports()
{
    if (!m_database || m_countingReports)
        return;
    m_countingReports = true;
    m_database
        ->run([](QSqlDatabase &db) -> std::optional<qint64> {
            try {
                return moderation::ReportStore::openCount(db);
            } catch (const std::exception &error) {
                qCWarning(lcChatFigures) << "open reports not counted:" << error.what();
                return std::nullopt;
            }
        })
        .then(this,
              [this](const std::optional<qint64> &count) {
                  m_countingReports = false;
                  if (!count)
                      return;
                  QMutexLocker lock(&m_mutex);
                  m_latest.openReports = count;
              })
        .onFailed(this, [this] { m_countingReports = false; });
}

std::optional<double> ChatFiguresSampler::p99Ms(const std::vector<double> &bounds,
                                                const std::vector<quint64> &before,
                                                const std::vector<quint64> &after)
{
    if (after.size() != bounds.size() + 1 || before.size() != after.size())
        return std::nullopt;
    const auto countAt = [&](size_t i) { return double(after[i] - before[i]); };
    const double total = countAt(bounds.size());
    if (total <= 0)
        return std::nullopt;
    const double rank = 0.99 * total;
    double below = 0;
    for (size_t i = 0; i < bounds.size(); ++i) {
        const double upTo = countAt(i);
        if (upTo >= rank) {
            const double lower = i == 0 ? 0.0 : bounds[i - 1];
            const double inBucket = upTo - below;
            const double fraction = inBucket > 0 ? (rank - below) / inBucket : 1.0;
            return (lower + (bounds[i] - lower) * fraction) * 1000.0;
        }
        below = upTo;
    }
    return bounds.empty() ? std::nullopt : std::optional<double>(bounds.back() * 1000.0);
}

} // namespace veza::chat
