#pragma once

#include "IncidentTimeline.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimeZone>

// A table model over an IncidentTimeline's events, for the incident view: one row per event
// in time order, columns time (local), event, who, what, target, details. New events are
// inserted as rows where they belong (no reset). GUI thread.
class TimelineModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        KindColumn,
        WhoColumn,
        WhatColumn,
        TargetColumn,
        DetailColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        AtRole = Qt::UserRole + 1, // QDateTime (UTC)
        KindRole,                  // int(TimelineEvent::Kind)
    };
    Q_ENUM(Role)

    explicit TimelineModel(QObject *parent = nullptr);

    // The timeline shown (not owned; may be null). Resets the model.
    void setTimeline(IncidentTimeline *timeline);
    IncidentTimeline *timeline() const { return m_timeline; }
    // The zone of the time column (the system's by default).
    void setTimeZone(const QTimeZone &zone);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // Every header and cell changed: the language or the locale did (texts are made when asked).
    void retranslate();
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    bool isRow(const QModelIndex &index) const; // a valid index of a current row
    QPointer<IncidentTimeline> m_timeline;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
};
