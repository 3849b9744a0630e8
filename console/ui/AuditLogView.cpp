#include "AuditLogView.h"

#include "ConsoleSession.h"
#include "Tables.h"

#include <QEvent>
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
    const auto field = [this](const QString &name, QString (*placeholder)()) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(name);
        m_texts.add([edit, placeholder] { edit->setPlaceholderText(placeholder()); });
        edit->setClearButtonEnabled(true);
        connect(edit, &QLineEdit::editingFinished, this, &AuditLogView::applyFilter);
        return edit;
    };
    m_actor = field(QStringLiteral("auditActor"), [] { return tr("Moderator"); });
    m_action = field(QStringLiteral("auditAction"), [] { return tr("Action (ban, delete...)"); });
    m_user = field(QStringLiteral("auditUser"), [] { return tr("Target user"); });
    m_room = field(QStringLiteral("auditRoom"), [] { return tr("Room"); });
    auto *filters = new QHBoxLayout;
    for (QLineEdit *edit : {m_actor, m_action, m_user, m_room})
        filters->addWidget(edit);

    m_table = makeTable(session->moderation()->auditLog(), QStringLiteral("auditTable"), this);
    m_table->sortByColumn(0, Qt::DescendingOrder);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
}

void AuditLogView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_texts.retranslate();
        m_session->moderation()->auditLog()->retranslate();
    }
    QWidget::changeEvent(event);
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
