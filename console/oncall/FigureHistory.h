#pragma once

#include "FigureSeries.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <limits>

namespace veza::oncall {

// One figure's value at the last sampling round.
struct FigureReading
{
    double value = std::numeric_limits<double>::quiet_NaN(); // NaN: unknown
    QString text;        // replaces the number for status figures ("alive", "2 of 3 up")
    QStringList details; // e.g. /health/ready's failing reasons

    bool operator==(const FigureReading &other) const;
};

// FigureHistory: every figure of the catalog (and `up`, whether the source answered) at the
// last round and over the session. A source records one round at a time; models, the alert
// evaluator and charts read it and follow `recorded`. GUI thread.
class FigureHistory : public QObject
{
    Q_OBJECT

public:
    // The series of the source's reachability: 1 when it answered, 0 when it did not.
    static inline const QString kUp = QStringLiteral("up");

    explicit FigureHistory(QObject *parent = nullptr);

    // Points kept per series (the oldest go first); 17280 = 24 h at 5 s.
    void setCapacity(qsizetype points);
    qsizetype capacity() const { return m_capacity; }

    // One round at `at`: each catalog figure and `up` gets a point, NaN when `readings` has no
    // value for it (the series keep their gaps). Emits recorded(at).
    void record(const QDateTime &at, const QHash<QString, FigureReading> &readings);

    FigureReading reading(const QString &key) const { return m_current.value(key); }
    // A catalog key or kUp; an empty series for anything else.
    const FigureSeries &series(const QString &key) const;
    QDateTime lastRecorded() const { return m_last; }

Q_SIGNALS:
    void recorded(const QDateTime &at);

private:
    QHash<QString, FigureReading> m_current;
    QHash<QString, FigureSeries> m_series;
    qsizetype m_capacity = 17280;
    QDateTime m_last;
};

} // namespace veza::oncall
