#include "StreamsModel.h"

#include <QColor>
#include <QDateTime>
#include <QLocale>
#include <QSet>

namespace veza::console {
namespace {

QString duration(qint64 seconds)
{
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString nameOf(const QJsonObject &entry)
{
    return entry.value(u"name").toString();
}

} // namespace

StreamsModel::StreamsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int StreamsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StreamsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StreamsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Stream");
    case Title:
        return tr("Title");
    case Owner:
        return tr("Owner");
    case Codec:
        return tr("Codec in");
    case Bitrate:
        return tr("Bitrate in");
    case Listeners:
        return tr("Listeners");
    case Peak:
        return tr("Peak");
    case Degraded:
        return tr("Degraded");
    case Uptime:
        return tr("Uptime");
    case NowPlaying:
        return tr("Now playing");
    case State:
        return tr("State");
    }
    return {};
}

QVariant StreamsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case SortRole:
        return sortValue(row, index.column());
    case EntryRole:
        return row.entry;
    case Qt::ToolTipRole:
        if (index.column() == Title)
            return row.entry.value(u"public").toBool(true) ? QVariant() : tr("Unlisted stream");
        if (index.column() == Degraded)
            return tr("Share of the low-latency listeners whose quality is degraded now "
                      "(below the bitrate they asked for, or falling behind); target under 5%");
        return {};
    case Qt::ForegroundRole:
        // The production guide's target: under 5 % of listeners degraded.
        return index.column() == Degraded && row.entry.value(u"degraded_percent").toDouble() >= 5
                   ? QVariant(QColor(Qt::red))
                   : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == Bitrate || index.column() == Listeners || index.column() == Peak ||
                       index.column() == Degraded || index.column() == Uptime
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    default:
        return {};
    }
}

QVariant StreamsModel::display(const Row &row, int column) const
{
    const QJsonObject &e = row.entry;
    const QLocale locale;
    switch (column) {
    case Name:
        return nameOf(e);
    case Title:
        return e.value(u"public").toBool(true)
                   ? e.value(u"title").toString()
                   : tr("%1 (unlisted)").arg(e.value(u"title").toString());
    case Owner:
        return e.value(u"owner").toString();
    case Codec:
        return e.value(u"audio")[u"input"][u"codec"].toString();
    case Bitrate: {
        const double bps = e.value(u"ingest_bitrate_bps").toDouble();
        return bps > 0 ? tr("%1 kbit/s").arg(locale.toString(bps / 1000, 'f', 0)) : QString();
    }
    case Listeners:
        return locale.toString(e.value(u"listeners").toInt());
    case Peak:
        return locale.toString(row.peak);
    case Degraded: {
        const QJsonValue share = e.value(u"degraded_percent");
        return share.isDouble() ? tr("%1%").arg(locale.toString(share.toDouble(), 'f', 0))
                                : QString();
    }
    case Uptime:
        return duration(row.uptimeS);
    case NowPlaying:
        return e.value(u"now_playing")[u"title"].toString();
    case State:
        return row.inGrace ? tr("Source lost") : tr("Live");
    }
    return {};
}

QVariant StreamsModel::sortValue(const Row &row, int column) const
{
    switch (column) {
    case Bitrate:
        return row.entry.value(u"ingest_bitrate_bps").toDouble();
    case Listeners:
        return row.entry.value(u"listeners").toInt();
    case Peak:
        return row.peak;
    case Degraded:
        return row.entry.value(u"degraded_percent").toDouble(-1);
    case Uptime:
        return row.uptimeS;
    default:
        return display(row, column).toString().toLower();
    }
}

void StreamsModel::applySnapshot(const QJsonArray &streams)
{
    apply(streams, QDateTime::currentMSecsSinceEpoch());
}

void StreamsModel::applyStats(const QJsonObject &frame)
{
    apply(frame.value(u"streams").toArray(), qint64(frame.value(u"at").toDouble()));
}

void StreamsModel::apply(const QJsonArray &streams, qint64 atMs)
{
    QSet<QString> present;
    for (const QJsonValue &value : streams)
        present.insert(nameOf(value.toObject()));
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!present.contains(nameOf(m_rows.at(row).entry)))
            removeRow(row);
    }
    for (const QJsonValue &value : streams) {
        const QJsonObject entry = value.toObject();
        const int row = rowOf(nameOf(entry));
        if (row >= 0) {
            update(row, entry, atMs);
            continue;
        }
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append(Row{});
        m_rows.last().entry = entry;
        m_index.insert(nameOf(entry), int(m_rows.size()) - 1);
        endInsertRows();
        update(int(m_rows.size()) - 1, entry, atMs);
    }
}

// The cells that changed, and only them.
void StreamsModel::update(int row, const QJsonObject &entry, qint64 atMs)
{
    Row &current = m_rows[row];
    QList<QVariant> before;
    for (int column = 0; column < ColumnCount; ++column)
        before.append(display(current, column));
    current.entry = entry;
    current.peak = std::max(current.peak, entry.value(u"listeners").toInt());
    const qint64 startedAt = qint64(entry.value(u"started_at").toDouble());
    current.uptimeS = startedAt > 0 ? std::max<qint64>(0, (atMs - startedAt) / 1000) : 0;
    int first = -1, last = -1;
    for (int column = 0; column < ColumnCount; ++column) {
        if (display(current, column) != before.at(column)) {
            first = first < 0 ? column : first;
            last = column;
        }
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(row, first), index(row, last));
}

void StreamsModel::applyEvent(const QJsonObject &frame)
{
    const QString type = frame.value(u"type").toString();
    const int row = rowOf(frame.value(u"stream").toString());
    if (row < 0)
        return; // the next stats frame brings it
    const auto changed = [this, row](int column) {
        Q_EMIT dataChanged(index(row, column), index(row, column));
    };
    if (type == u"listeners") {
        Row &current = m_rows[row];
        current.entry.insert(QStringLiteral("listeners"), frame.value(u"listeners"));
        current.peak = std::max(current.peak, frame.value(u"listeners").toInt());
        changed(Listeners);
        changed(Peak);
    } else if (type == u"source_dropped" || type == u"source_connected") {
        m_rows[row].inGrace = type == u"source_dropped";
        changed(State);
    } else if (type == u"stream_stopped") {
        removeRow(row);
    }
}

void StreamsModel::removeRow(int row)
{
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_index.clear(); // rows after it moved up: rare enough to rebuild
    for (int i = 0; i < m_rows.size(); ++i)
        m_index.insert(nameOf(m_rows.at(i).entry), i);
    endRemoveRows();
}

void StreamsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    endResetModel();
}

int StreamsModel::rowOf(const QString &name) const
{
    return m_index.value(name, -1);
}

QJsonObject StreamsModel::entry(const QString &name) const
{
    const int row = rowOf(name);
    return row < 0 ? QJsonObject() : m_rows.at(row).entry;
}

void StreamsModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace veza::console
