#include "TimelineModel.h"

TimelineModel::TimelineModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void TimelineModel::setTimeline(IncidentTimeline *timeline)
{
    if (timeline == m_timeline)
        return;
    beginResetModel();
    if (m_timeline)
        m_timeline->disconnect(this);
    m_timeline = timeline;
    if (timeline) {
        connect(timeline, &IncidentTimeline::eventAboutToBeInserted, this,
                [this](int index) { beginInsertRows({}, index, index); });
        connect(timeline, &IncidentTimeline::eventInserted, this, [this] { endInsertRows(); });
        connect(timeline, &QObject::destroyed, this, [this] {
            beginResetModel();
            endResetModel();
        });
    }
    endResetModel();
}

void TimelineModel::setTimeZone(const QTimeZone &zone)
{
    m_zone = zone;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn));
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_timeline ? 0 : int(m_timeline->events().size());
}

int TimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!isRow(index))
        return {};
    const TimelineEvent &event = m_timeline->events().at(index.row());
    switch (role) {
    case AtRole:
        return event.at;
    case KindRole:
        return int(event.kind);
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return event.at.toTimeZone(m_zone).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t"));
        return data(index, Qt::DisplayRole);
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TimeColumn:
            return event.at.toTimeZone(m_zone).toString(QStringLiteral("HH:mm:ss"));
        case KindColumn:
            return TimelineEvent::kindName(event.kind);
        case WhoColumn:
            return event.who;
        case WhatColumn:
            return event.what;
        case TargetColumn:
            return event.target;
        case DetailColumn:
            return event.detail;
        case ColumnCount:
            break;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TimeColumn:
        return tr("Time");
    case KindColumn:
        return tr("Event");
    case WhoColumn:
        return tr("Who");
    case WhatColumn:
        return tr("What");
    case TargetColumn:
        return tr("Target");
    case DetailColumn:
        return tr("Details");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags TimelineModel::flags(const QModelIndex &index) const
{
    if (!isRow(index))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

bool TimelineModel::isRow(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this && index.row() < rowCount() &&
           index.column() < columnCount();
}

void TimelineModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}
