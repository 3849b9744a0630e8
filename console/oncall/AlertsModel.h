#pragma once

#include "Alert.h"

#include <QAbstractTableModel>

namespace veza::oncall {

// AlertsModel: the firing alerts, one row each, whoever evaluates them (the console's
// AlertEvaluator or Prometheus; OncallSession wires the right one to setAlerts()). Each
// update inserts the new alerts, removes the resolved ones and emits dataChanged for the
// cells that changed only, so a sorted view keeps its state. GUI thread.
class AlertsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        SeverityColumn,
        SinceColumn,
        ValueColumn,
        RunbookColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        NameRole = Qt::UserRole + 1, // QString, any column
        SeverityRole,                // int: AlertSeverity (higher is worse), for sorting
        SinceRole,                   // QDateTime, for sorting and "for 5 min" texts
        RunbookRole,                 // QString: the runbook id to open
        ValueRole,                   // double
        LabelsRole,                  // QVariantMap: Prometheus' labels
    };

    explicit AlertsModel(QObject *parent = nullptr);

    // The firing alerts now; rows are matched by Alert::identity().
    void setAlerts(const QList<veza::oncall::Alert> &alerts);
    const QList<Alert> &alerts() const { return m_alerts; }
    const Alert &alertAt(int row) const { return m_alerts.at(row); }
    int rowOf(const QString &identity) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // Every header and cell changed: the language or the locale did (texts are made when asked).
    void retranslate();
    QHash<int, QByteArray> roleNames() const override;

private:
    QString display(const Alert &alert, int column) const;

    QList<Alert> m_alerts;
};

} // namespace veza::oncall
