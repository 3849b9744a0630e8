#pragma once

#include "FigureCatalog.h"
#include "FigureHistory.h" // QPointer needs the whole class

#include <QAbstractTableModel>
#include <QPointer>
#include <limits>

namespace veza::oncall {

// FiguresModel: the dashboard's table, one row per figure of the catalog (fixed order), fed by
// a FigureHistory whichever source fills it. Each round emits dataChanged for the cells that
// changed only; the rows never change. GUI thread.
class FiguresModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { KeyColumn, NameColumn, ValueColumn, TargetColumn, StateColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        KeyRole = Qt::UserRole + 1, // QString: the figure key, any column
        ValueRole,                  // double: the raw value, NaN when unknown
        StateRole,                  // int: FigureState
        DetailsRole,                // QStringList: e.g. the readiness probe's failing reasons
    };

    explicit FiguresModel(QObject *parent = nullptr);

    // The history to show (not owned; may be null). Resets the model.
    void setHistory(const FigureHistory *history);
    const FigureHistory *history() const { return m_history; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // Every header and cell changed: the language or the locale did (texts are made when asked).
    void retranslate();
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(QStringView key) const; // -1 for an unknown key
    QString keyAt(int row) const;

private:
    struct Row
    {
        QString valueText;
        FigureState state = FigureState::Unknown;
        double value = std::numeric_limits<double>::quiet_NaN();
        QStringList details;
    };

    Row compute(int row) const;
    void refresh();

    QPointer<const FigureHistory> m_history;
    QList<Row> m_rows;
};

} // namespace veza::oncall
