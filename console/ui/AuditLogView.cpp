#include "AuditLogView.h"

#include "ConsoleSession.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace veza::console {

AuditLogView::AuditLogView(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    const auto field = [this](const QString &name, const QString &placeholder) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(name);
        edit->setPlaceholderText(placeholder);
        edit->setClearButtonEnabled(true);
        connect(edit, &QLineEdit::editingFinished, this, &AuditLogView::applyFilter);
        return edit;
    };
    m_actor = field(QStringLiteral("auditActor"), tr("Moderator"));
    m_action = field(QStringLiteral("auditAction"), tr("Action (ban, delete...)"));
    m_user = field(QStringLiteral("auditUser"), tr("Target user"));
    m_room = field(QStringLiteral("auditRoom"), tr("Room"));
    auto *filters = new QHBoxLayout;
    for (QLineEdit *edit : {m_actor, m_action, m_user, m_room})
        filters->addWidget(edit);

    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(session->moderation()->auditLog());
    proxy->setSortRole(JsonTableModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
}

void AuditLogView::applyFilter()
{
    ModerationDesk::AuditFilter filter;
    filter.actor = m_actor->text().trimmed();
    filter.action = m_action->text().trimmed();
    filter.user = m_user->text().trimmed();
    filter.room = m_room->text().trimmed();
    m_session->moderation()->setAuditFilter(filter);
}

} // namespace veza::console
