#include "FiguresModel.h"

#include "FigureHistory.h"

#include <cmath>
#include <limits>

namespace veza::oncall {

FiguresModel::FiguresModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    for (int row = 0; row < int(FigureCatalog::all().size()); ++row)
        m_rows.append(compute(row));
}

void FiguresModel::setHistory(const FigureHistory *history)
{
    beginResetModel();
    if (m_history)
        disconnect(m_history, nullptr, this, nullptr);
    m_history = history;
    if (history)
        connect(history, &FigureHistory::recorded, this, &FiguresModel::refresh);
    for (int row = 0; row < int(m_rows.size()); ++row)
        m_rows[row] = compute(row);
    endResetModel();
}

FiguresModel::Row FiguresModel::compute(int row) const
{
    const FigureDefinition &figure = FigureCatalog::all().at(row);
    const FigureReading reading = m_history ? m_history->reading(figure.key) : FigureReading();
    return {FigureCatalog::formatValue(figure, reading.value, reading.text),
            FigureCatalog::stateOf(figure, reading.value), reading.value, reading.details};
}

void FiguresModel::refresh()
{
    for (int row = 0; row < int(m_rows.size()); ++row) {
        Row next = compute(row);
        Row &current = m_rows[row];
        const bool valueChanged =
            next.valueText != current.valueText || next.details != current.details ||
            !(next.value == current.value || (std::isnan(next.value) && std::isnan(current.value)));
        const bool stateChanged = next.state != current.state;
        current = std::move(next);
        if (valueChanged)
            Q_EMIT dataChanged(index(row, ValueColumn), index(row, ValueColumn));
        if (stateChanged)
            Q_EMIT dataChanged(index(row, StateColumn), index(row, StateColumn));
    }
}

int FiguresModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FiguresModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FiguresModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FigureDefinition &figure = FigureCatalog::all().at(index.row());
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case KeyRole:
        return figure.key;
    case ValueRole:
        return row.value;
    case StateRole:
        return int(row.state);
    case DetailsRole:
        return row.details;
    case Qt::ToolTipRole:
        return row.details.isEmpty() ? QVariant() : QVariant(row.details.join(u'\n'));
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case KeyColumn:
        return figure.key;
    case NameColumn:
        return FigureCatalog::displayName(figure);
    case ValueColumn:
        return row.valueText;
    case TargetColumn:
        return FigureCatalog::targetText(figure);
    case StateColumn:
        return FigureCatalog::stateText(row.state);
    default:
        return {};
    }
}

QVariant FiguresModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case NameColumn:
        return tr("Figure");
    case ValueColumn:
        return tr("Value");
    case TargetColumn:
        return tr("Target");
    case StateColumn:
        return tr("State");
    default:
        return {};
    }
}

QHash<int, QByteArray> FiguresModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(KeyRole, "key");
    names.insert(ValueRole, "value");
    names.insert(StateRole, "state");
    names.insert(DetailsRole, "details");
    return names;
}

int FiguresModel::rowOf(QStringView key) const
{
    return int(FigureCatalog::indexOf(key));
}

QString FiguresModel::keyAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? FigureCatalog::all().at(row).key : QString();
}

void FiguresModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace veza::oncall
