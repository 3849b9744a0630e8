#include "FigureSource.h"

#include <QCoreApplication>
#include <algorithm>

namespace veza::oncall {

FigureSource::FigureSource(QObject *parent)
    : QObject(parent)
    , m_history(this)
{
    m_timer.setTimerType(Qt::CoarseTimer);
    m_timer.setInterval(m_interval);
    connect(&m_timer, &QTimer::timeout, this, [this] { sampleNow(); });
    m_wallAtStart = QDateTime::currentDateTimeUtc();
    m_monotonic.start();
    applyCapacity();
}

void FigureSource::setInterval(std::chrono::milliseconds interval)
{
    m_interval = std::max(interval, std::chrono::milliseconds(100));
    m_timer.setInterval(m_interval);
    applyCapacity();
}

void FigureSource::setRetention(std::chrono::seconds retention)
{
    m_retention = std::max(retention, std::chrono::seconds(1));
    applyCapacity();
}

void FigureSource::applyCapacity()
{
    const auto points =
        std::chrono::duration_cast<std::chrono::milliseconds>(m_retention) / m_interval;
    m_history.setCapacity(std::max<qsizetype>(2, qsizetype(points)));
}

void FigureSource::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

QDateTime FigureSource::now() const
{
    if (m_clock)
        return m_clock();
    return m_wallAtStart.addMSecs(m_monotonic.elapsed());
}

int FigureSource::requestTimeoutMs() const
{
    // Within the interval, so that a round ends before the next one is due.
    return int(std::clamp<qint64>(m_interval.count() * 4 / 5, 100, 10000));
}

void FigureSource::start()
{
    m_timer.start();
    sampleNow();
}

void FigureSource::stop()
{
    m_timer.stop();
}

bool FigureSource::sampleNow()
{
    if (m_sampling)
        return false;
    m_sampling = true;
    beginRound(now());
    return true;
}

void FigureSource::endRound(const QDateTime &at, const QHash<QString, FigureReading> &readings,
                            Status status, const QString &reason)
{
    m_sampling = false;
    m_history.record(at, readings);
    if (status != m_status || reason != m_reason) {
        m_status = status;
        m_reason = reason;
        Q_EMIT statusChanged(status, reason);
    }
    Q_EMIT sampled(at);
}

QString FigureSource::statusText(Status status)
{
    switch (status) {
    case Status::Ok:
        return QCoreApplication::translate("OncallSource", "connected");
    case Status::Degraded:
        return QCoreApplication::translate("OncallSource", "degraded");
    case Status::Unreachable:
        return QCoreApplication::translate("OncallSource", "unreachable");
    case Status::Unknown:
        break;
    }
    return QCoreApplication::translate("OncallSource", "waiting for the first sample");
}

} // namespace veza::oncall
