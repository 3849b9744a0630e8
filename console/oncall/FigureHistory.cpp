#include "FigureHistory.h"

#include "FigureCatalog.h"

#include <cmath>

namespace veza::oncall {

bool FigureReading::operator==(const FigureReading &other) const
{
    const bool sameValue = (std::isnan(value) && std::isnan(other.value)) || value == other.value;
    return sameValue && text == other.text && details == other.details;
}

FigureHistory::FigureHistory(QObject *parent)
    : QObject(parent)
{
    for (const FigureDefinition &figure : FigureCatalog::all())
        m_series.insert(figure.key, FigureSeries(m_capacity));
    m_series.insert(kUp, FigureSeries(m_capacity));
}

void FigureHistory::setCapacity(qsizetype points)
{
    m_capacity = points;
    for (FigureSeries &series : m_series)
        series.setCapacity(points);
}

void FigureHistory::record(const QDateTime &at, const QHash<QString, FigureReading> &readings)
{
    const qint64 atMs = at.toMSecsSinceEpoch();
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        const FigureReading reading = readings.value(it.key());
        it.value().append(atMs, reading.value);
        m_current.insert(it.key(), reading);
    }
    m_last = at;
    Q_EMIT recorded(at);
}

const FigureSeries &FigureHistory::series(const QString &key) const
{
    static const FigureSeries empty(1);
    const auto it = m_series.constFind(key);
    return it == m_series.cend() ? empty : it.value();
}

} // namespace veza::oncall
