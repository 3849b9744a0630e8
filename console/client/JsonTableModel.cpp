#include "JsonTableModel.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>

namespace veza::console {

JsonTableModel::JsonTableModel(QString keyField, QList<Column> columns, QObject *parent)
    : QAbstractTableModel(parent)
    , m_keyField(std::move(keyField))
    , m_columns(std::move(columns))
{
}

int JsonTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JsonTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant JsonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section >= m_columns.size())
        return {};
    return m_columns.at(section).header();
}

QVariant JsonTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_columns.size())
        return {};
    const QJsonObject &row = m_rows.at(index.row());
    const Column &column = m_columns.at(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return column.display(row);
    case Qt::ToolTipRole: {
        const QString text = column.display(row).toString();
        return text.size() > 40 ? QVariant(text) : QVariant();
    }
    case SortRole:
        return column.sort ? column.sort(row) : column.display(row);
    case ObjectRole:
        return row;
    case KeyRole:
        return keyOf(row);
    default:
        return {};
    }
}

QString JsonTableModel::keyOf(const QJsonObject &row) const
{
    const QJsonValue key = row.value(m_keyField);
    return key.isString() ? key.toString() : QString::number(key.toInteger());
}

void JsonTableModel::replace(const QList<QJsonObject> &rows)
{
    QSet<QString> keys;
    for (const QJsonObject &row : rows)
        keys.insert(keyOf(row));
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!keys.contains(keyOf(m_rows.at(i)))) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    reindex();
    for (const QJsonObject &row : rows)
        upsert(row);
}

void JsonTableModel::upsert(const QJsonObject &row)
{
    const QString key = keyOf(row);
    const int at = m_index.value(key, -1);
    if (at < 0) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append(row);
        m_index.insert(key, int(m_rows.size()) - 1);
        endInsertRows();
        return;
    }
    if (m_rows.at(at) == row)
        return;
    int first = -1, last = -1;
    for (int c = 0; c < m_columns.size(); ++c) {
        if (m_columns.at(c).display(m_rows.at(at)) != m_columns.at(c).display(row)) {
            first = first < 0 ? c : first;
            last = c;
        }
    }
    m_rows[at] = row;
    if (first >= 0)
        Q_EMIT dataChanged(index(at, first), index(at, last));
}

void JsonTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    endResetModel();
}

void JsonTableModel::retranslate()
{
    if (m_columns.isEmpty())
        return;
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, int(m_columns.size()) - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, int(m_columns.size()) - 1));
}

void JsonTableModel::reindex()
{
    m_index.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_index.insert(keyOf(m_rows.at(i)), i);
}

JsonTableModel::Column JsonTableModel::text(std::function<QString()> header, const QString &field)
{
    return {std::move(header),
            [field](const QJsonObject &row) {
                const QJsonValue value = row.value(field);
                return value.isDouble() ? QVariant(QLocale().toString(value.toDouble(), 'f', 0))
                                        : QVariant(value.toString());
            },
            [field](const QJsonObject &row) { return row.value(field).toVariant(); }};
}

JsonTableModel::Column JsonTableModel::time(std::function<QString()> header, const QString &field)
{
    return {std::move(header),
            [field](const QJsonObject &row) {
                const QJsonValue value = row.value(field);
                if (!value.isDouble())
                    return QVariant(QString());
                return QVariant(QLocale().toString(
                    QDateTime::fromMSecsSinceEpoch(value.toInteger()), QLocale::ShortFormat));
            },
            [field](const QJsonObject &row) { return row.value(field).toInteger(); }};
}

} // namespace veza::console
