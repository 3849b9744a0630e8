#include "FigureSeries.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace veza::oncall {

FigureSeries::FigureSeries(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(1, capacity))
{
}

void FigureSeries::setCapacity(qsizetype capacity)
{
    m_capacity = std::max<qsizetype>(1, capacity);
    while (size() > m_capacity)
        m_points.pop_front();
}

bool FigureSeries::append(qint64 atMs, double value)
{
    if (!m_points.empty() && atMs < m_points.back().atMs)
        return false;
    m_points.push_back({atMs, value});
    if (size() > m_capacity)
        m_points.pop_front();
    return true;
}

std::optional<FigurePoint> FigureSeries::last() const
{
    if (m_points.empty())
        return std::nullopt;
    return m_points.back();
}

double FigureSeries::valueAt(qint64 atMs) const
{
    // The first point after atMs; the one before it is the answer.
    const auto after =
        std::upper_bound(m_points.cbegin(), m_points.cend(), atMs,
                         [](qint64 time, const FigurePoint &point) { return time < point.atMs; });
    if (after == m_points.cbegin())
        return std::numeric_limits<double>::quiet_NaN();
    return std::prev(after)->value;
}

std::optional<FigurePoint> FigureSeries::firstValueIn(qint64 fromMs, qint64 toMs) const
{
    auto it =
        std::lower_bound(m_points.cbegin(), m_points.cend(), fromMs,
                         [](const FigurePoint &point, qint64 time) { return point.atMs < time; });
    for (; it != m_points.cend() && it->atMs <= toMs; ++it) {
        if (!std::isnan(it->value))
            return *it;
    }
    return std::nullopt;
}

} // namespace veza::oncall
