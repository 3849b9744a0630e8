#pragma once

#include "FigureHistory.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>

namespace veza::oncall {

// FigureSource: what feeds the dashboard, whichever it is (one server's /metrics and /health,
// or a Prometheus server): a sampling round every interval, recorded in a FigureHistory, and
// the state of the link. Subclasses run a round asynchronously and end it with endRound().
// GUI thread.
class FigureSource : public QObject
{
    Q_OBJECT

public:
    enum class Status {
        Unknown,     // no round finished yet
        Ok,          // everything answered
        Degraded,    // some answers failed or were unusable (the reason says which)
        Unreachable, // nothing answered
    };
    Q_ENUM(Status)

    explicit FigureSource(QObject *parent = nullptr);

    FigureHistory &history() { return m_history; }
    const FigureHistory &history() const { return m_history; }

    // Sampling interval (default 5 s); each request of a round times out after 80% of it (at
    // most 10 s). Changing it keeps the retention: the history holds retention / interval points.
    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_interval; }
    void setRetention(std::chrono::seconds retention); // default 24 h
    std::chrono::seconds retention() const { return m_retention; }

    // Time stamps of the rounds. The default is the wall clock at start() plus a monotonic
    // clock, so setting the system clock back does not break the series; tests inject theirs.
    void setClock(std::function<QDateTime()> clock);
    QDateTime now() const;

    void start(); // a round at once, then one every interval
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    // Starts a round now unless one is running (then false).
    bool sampleNow();
    bool isSampling() const { return m_sampling; }

    Status status() const { return m_status; }
    QString statusReason() const { return m_reason; }

    static QString statusText(Status status);

Q_SIGNALS:
    void sampled(const QDateTime &at);
    void statusChanged(veza::oncall::FigureSource::Status status, const QString &reason);

protected:
    virtual void beginRound(const QDateTime &at) = 0;
    // Records the round begun at `at` and updates the status (signals only on a change).
    void endRound(const QDateTime &at, const QHash<QString, FigureReading> &readings, Status status,
                  const QString &reason);
    int requestTimeoutMs() const;

private:
    void applyCapacity();

    FigureHistory m_history;
    QTimer m_timer;
    std::chrono::milliseconds m_interval{5000};
    std::chrono::seconds m_retention{24 * 3600};
    std::function<QDateTime()> m_clock;
    QDateTime m_wallAtStart;
    QElapsedTimer m_monotonic;
    bool m_sampling = false;
    Status m_status = Status::Unknown;
    QString m_reason;
};

} // namespace veza::oncall
