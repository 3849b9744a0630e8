#pragma once

#include "Retranslator.h"

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace veza::console {

class StreamsModel;

// The live streams table: sortable by any column, filtered by a text typed above it (any
// column matches); the selected stream is announced for the stream panel. GUI thread.
class StreamsView : public QWidget
{
    Q_OBJECT

public:
    explicit StreamsView(StreamsModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QString selectedStream() const;

Q_SIGNALS:
    void streamSelected(const QString &name); // empty: none

protected:
    void changeEvent(QEvent *event) override;

private:
    StreamsModel *m_model = nullptr;
    QLineEdit *m_filter = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    Retranslator m_texts;
};

} // namespace veza::console
