#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace veza::console {

// StreamsModel: the live streams as /monitor reports them (snapshot, then the stats every
// second and the events between), one row per stream. Rows are added and removed as streams
// start and stop; a stats frame changes only the cells whose value changed (a 1 Hz feed of a
// thousand streams must not reset the views). The listeners' peak is the highest count seen
// since the broadcast started. GUI thread.
class StreamsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Title,
        Owner,
        Codec,
        Bitrate,
        Listeners,
        Peak,
        Degraded,
        Uptime,
        NowPlaying,
        State,
        ColumnCount
    };
    // The value to sort by (numbers as numbers) and the stream's whole JSON entry.
    enum Role { SortRole = Qt::UserRole, EntryRole };

    explicit StreamsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // Every header and cell changed: the language or the locale did (texts are made when asked).
    void retranslate();

    void applySnapshot(const QJsonArray &streams);
    void applyStats(const QJsonObject &frame);
    void applyEvent(const QJsonObject &frame);
    void clear();

    int rowOf(const QString &name) const;
    QJsonObject entry(const QString &name) const;

private:
    struct Row
    {
        QJsonObject entry;
        int peak = 0;
        qint64 uptimeS = 0;
        bool inGrace = false; // the source dropped; listeners wait for it
    };

    void apply(const QJsonArray &streams, qint64 atMs);
    void update(int row, const QJsonObject &entry, qint64 atMs);
    QVariant display(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;

    void removeRow(int row);

    QList<Row> m_rows;           // in arrival order; views sort through a proxy
    QHash<QString, int> m_index; // name -> row
};

} // namespace veza::console
