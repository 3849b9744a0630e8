#include "ReviewQueueView.h"

#include "ConsoleSession.h"
#include "ReasonDialog.h"
#include "Tables.h"

#include <QAction>
#include <QEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace veza::console {

ReviewQueueView::ReviewQueueView(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    m_reports = makeTable(session->moderation()->reports(), QStringLiteral("reportsTable"), this);
    m_reports->sortByColumn(0, Qt::DescendingOrder); // newest first; column 1: most reported
    connect(m_reports->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ReviewQueueView::showContext);

    m_context = new QLabel(this);
    m_context->setObjectName(QStringLiteral("reportContext"));
    m_context->setWordWrap(true);
    m_context->setTextFormat(Qt::RichText);
    m_context->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(QStringLiteral("queueActions"));
    using Text = QString (*)();
    const auto outcome = [this, toolbar](Text text, const QKeySequence &key, const QString &name,
                                         Text question) {
        auto *action = new QAction(this);
        m_texts.add([action, text] { action->setText(text()); });
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, [this, text, name, question] {
            const QString note = ReasonDialog::ask(this, text(), question());
            if (!note.isEmpty())
                resolveSelected(name, note);
        });
        toolbar->addAction(action);
        addAction(action);
    };
    outcome([] { return tr("Dismiss"); }, QKeySequence(Qt::Key_D), QStringLiteral("dismiss"),
            [] { return tr("Dismiss the report: the message stays."); });
    outcome([] { return tr("Delete message"); }, QKeySequence::Delete, QStringLiteral("delete"),
            [] { return tr("Delete the reported message?"); });
    outcome([] { return tr("Timeout 1 h"); }, QKeySequence(Qt::Key_T), QStringLiteral("timeout"),
            [] { return tr("Time the author out of the room for an hour?"); });
    outcome([] { return tr("Ban"); }, QKeySequence(Qt::Key_B), QStringLiteral("ban"),
            [] { return tr("Ban the author from the room?"); });

    toolbar->addSeparator();
    auto *mostReported = new QAction(this);
    m_texts.add([mostReported] { mostReported->setText(tr("Most reported first")); });
    mostReported->setShortcut(QKeySequence(Qt::Key_M));
    mostReported->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(mostReported, &QAction::triggered, this, &ReviewQueueView::sortMostReportedFirst);
    toolbar->addAction(mostReported);
    addAction(mostReported);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_reports);
    splitter->addWidget(m_context);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);
    showContext();
}

void ReviewQueueView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_texts.retranslate();
        m_session->moderation()->reports()->retranslate();
        if (!m_reports->selectionModel()->hasSelection())
            showContext();
    }
    QWidget::changeEvent(event);
}

void ReviewQueueView::sortMostReportedFirst()
{
    m_reports->sortByColumn(1, Qt::DescendingOrder);
}

void ReviewQueueView::resolveSelected(const QString &outcome, const QString &note)
{
    const QModelIndexList rows = m_reports->selectionModel()->selectedRows(0);
    if (rows.isEmpty())
        return;
    const QJsonObject report = rows.first().data(JsonTableModel::ObjectRole).toJsonObject();
    const qint64 id = report.value(u"id").toInteger();
    QJsonObject resolution{{QStringLiteral("outcome"), outcome}, {QStringLiteral("note"), note}};
    if (outcome == u"timeout")
        resolution.insert(QStringLiteral("seconds"), 3600);
    m_session->moderation()->resolve(id, resolution, [this, id, outcome](const QString &problem) {
        if (problem.isEmpty())
            Q_EMIT actionDone(tr("Report %1: %2").arg(id).arg(outcome));
        else
            Q_EMIT actionFailed(tr("Report %1 not resolved: %2").arg(id).arg(problem));
    });
}

// The reported message with the five before and after it, read through the moderators'
// room history.
void ReviewQueueView::showContext()
{
    const QModelIndexList rows = m_reports->selectionModel()->selectedRows(0);
    if (rows.isEmpty())
        return m_context->setText(tr("Select a report to see its message in context."));
    const QJsonObject report = rows.first().data(JsonTableModel::ObjectRole).toJsonObject();
    const qint64 seq = report.value(u"message_id").toInteger();
    const QString room = report.value(u"room").toString();
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("before"), QString::number(seq + 6));
    query.addQueryItem(QStringLiteral("limit"), QStringLiteral("11"));
    m_context->setText(tr("Loading..."));
    m_session->api()->get(
        QStringLiteral("/api/rooms/%1/messages").arg(room), query, this,
        [this, seq, report](const ApiResult &result) {
            QStringList lines;
            const QJsonArray messages = result.body.value(u"messages").toArray();
            for (qsizetype i = messages.size() - 1; i >= 0; --i) {
                const QJsonObject m = messages.at(i).toObject();
                const QString line = QStringLiteral("<b>%1</b>: %2")
                                         .arg(m.value(u"sender").toString().toHtmlEscaped(),
                                              m.value(u"body").toString().toHtmlEscaped());
                lines
                    << (m.value(u"message_id").toInteger() == seq
                            ? QStringLiteral("<span style='background:#fff3c4'>%1</span>").arg(line)
                            : line);
            }
            if (lines.isEmpty()) // deleted since, or a direct room: the report keeps the body
                lines << QStringLiteral("<b>%1</b>: %2")
                             .arg(report.value(u"author").toString().toHtmlEscaped(),
                                  report.value(u"body").toString().toHtmlEscaped());
            m_context->setText(lines.join(QStringLiteral("<br>")));
        });
}

} // namespace veza::console
