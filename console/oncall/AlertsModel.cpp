#include "AlertsModel.h"

#include <QLocale>
#include <QSet>

namespace veza::oncall {

AlertsModel::AlertsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int AlertsModel::rowOf(const QString &identity) const
{
    for (int row = 0; row < int(m_alerts.size()); ++row) {
        if (m_alerts.at(row).identity() == identity)
            return row;
    }
    return -1;
}

void AlertsModel::setAlerts(const QList<Alert> &alerts)
{
    QSet<QString> wanted;
    for (const Alert &alert : alerts)
        wanted.insert(alert.identity());
    // Resolved ones go, from the bottom so the rows above keep their numbers.
    for (int row = int(m_alerts.size()) - 1; row >= 0; --row) {
        if (wanted.contains(m_alerts.at(row).identity()))
            continue;
        beginRemoveRows({}, row, row);
        m_alerts.removeAt(row);
        endRemoveRows();
    }
    for (const Alert &alert : alerts) {
        const int row = rowOf(alert.identity());
        if (row < 0) {
            const int at = int(m_alerts.size());
            beginInsertRows({}, at, at);
            m_alerts.append(alert);
            endInsertRows();
            continue;
        }
        const Alert before = m_alerts.at(row);
        m_alerts[row] = alert;
        for (int column = 0; column < ColumnCount; ++column) {
            if (display(before, column) != display(alert, column))
                Q_EMIT dataChanged(index(row, column), index(row, column));
        }
    }
}

int AlertsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

int AlertsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertsModel::display(const Alert &alert, int column) const
{
    switch (column) {
    case NameColumn:
        return alert.name;
    case SeverityColumn:
        return Alert::severityText(alert.severity);
    case SinceColumn:
        return QLocale().toString(alert.since.toLocalTime(), QLocale::ShortFormat);
    case ValueColumn:
        return alert.valueText;
    case RunbookColumn:
        return alert.runbook;
    default:
        return {};
    }
}

QVariant AlertsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alert &alert = m_alerts.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(alert, index.column());
    case Qt::ToolTipRole:
        return alert.condition.isEmpty() ? QVariant() : QVariant(alert.condition);
    case NameRole:
        return alert.name;
    case SeverityRole:
        return int(alert.severity);
    case SinceRole:
        return alert.since;
    case RunbookRole:
        return alert.runbook;
    case ValueRole:
        return alert.value;
    case LabelsRole: {
        QVariantMap labels;
        for (auto it = alert.labels.cbegin(); it != alert.labels.cend(); ++it)
            labels.insert(it.key(), it.value());
        return labels;
    }
    default:
        return {};
    }
}

QVariant AlertsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Alert");
    case SeverityColumn:
        return tr("Severity");
    case SinceColumn:
        return tr("Since");
    case ValueColumn:
        return tr("Value");
    case RunbookColumn:
        return tr("Runbook");
    default:
        return {};
    }
}

QHash<int, QByteArray> AlertsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(SeverityRole, "severity");
    names.insert(SinceRole, "since");
    names.insert(RunbookRole, "runbook");
    names.insert(ValueRole, "value");
    names.insert(LabelsRole, "labels");
    return names;
}

void AlertsModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace veza::oncall
