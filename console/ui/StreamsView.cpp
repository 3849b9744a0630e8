#include "StreamsView.h"

#include "StreamsModel.h"
#include "Tables.h"

#include <QEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace veza::console {

StreamsView::StreamsView(StreamsModel *model, QWidget *parent)
    : QWidget(parent)
{
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("streamsFilter"));
    m_texts.add([this] {
        m_filter->setPlaceholderText(tr("Filter streams (name, title, owner, song...)"));
    });
    m_filter->setClearButtonEnabled(true);
    m_table = makeTable(model, QStringLiteral("streamsTable"), this);
    m_proxy = static_cast<QSortFilterProxyModel *>(m_table->model());
    m_model = model;
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    m_table->sortByColumn(StreamsModel::Listeners, Qt::DescendingOrder);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { Q_EMIT streamSelected(selectedStream()); });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
}

void StreamsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_texts.retranslate();
        m_model->retranslate();
    }
    QWidget::changeEvent(event);
}

QString StreamsView::selectedStream() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(StreamsModel::Name);
    return rows.isEmpty() ? QString() : rows.first().data().toString();
}

} // namespace veza::console
