#pragma once

#include <QtGlobal>
#include <deque>
#include <optional>

namespace veza::oncall {

struct FigurePoint
{
    qint64 atMs = 0;  // milliseconds since the Unix epoch
    double value = 0; // NaN: no value at that time (a failed scrape, nothing exported)
};

// FigureSeries: one figure's values over the session, oldest first, bounded (the oldest
// points go once `capacity` is reached). Times only move forward: a point older than the
// last one is dropped. Value type; used on the GUI thread.
class FigureSeries
{
public:
    explicit FigureSeries(qsizetype capacity = 17280);

    void setCapacity(qsizetype capacity);
    qsizetype capacity() const { return m_capacity; }
    bool append(qint64 atMs, double value); // false when dropped (out of order)

    qsizetype size() const { return qsizetype(m_points.size()); }
    bool isEmpty() const { return m_points.empty(); }
    const FigurePoint &at(qsizetype index) const { return m_points.at(size_t(index)); }
    std::optional<FigurePoint> last() const;

    // The value of the last point at or before `atMs` (NaN when there is none).
    double valueAt(qint64 atMs) const;
    // The first point in [fromMs, toMs] that has a value (not NaN).
    std::optional<FigurePoint> firstValueIn(qint64 fromMs, qint64 toMs) const;

private:
    std::deque<FigurePoint> m_points;
    qsizetype m_capacity;
};

} // namespace veza::oncall
