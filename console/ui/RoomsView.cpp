#include "RoomsView.h"

#include "ConsoleSession.h"
#include "ReasonDialog.h"
#include "RoomFeed.h"
#include "Tables.h"

#include <QAction>
#include <QEvent>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace veza::console {
RoomsView::RoomsView(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_feed(new RoomFeed(session->chat(), this))
{
    m_rooms = makeTable(session->moderation()->rooms(), QStringLiteral("roomsTable"), this);
    m_rooms->sortByColumn(0, Qt::AscendingOrder);
    auto *filter = new QLineEdit(this);
    filter->setObjectName(QStringLiteral("roomsFilter"));
    m_texts.add([filter] { filter->setPlaceholderText(tr("Filter rooms")); });
    filter->setClearButtonEnabled(true);
    connect(filter, &QLineEdit::textChanged, static_cast<QSortFilterProxyModel *>(m_rooms->model()),
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_rooms->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_rooms->selectionModel()->selectedRows(0);
        showRoom(rows.isEmpty() ? QString() : rows.first().data().toString());
    });

    m_roomTitle = new QLabel(this);
    m_roomTitle->setObjectName(QStringLiteral("roomTitle"));
    m_texts.add([this] { showTitle(); });
    m_messages = makeTable(m_feed->messages(), QStringLiteral("messagesTable"), this);
    m_messages->sortByColumn(RoomFeed::Time, Qt::AscendingOrder);
    connect(session->chat(), &ChatChannel::event, m_feed, &RoomFeed::onEvent);
    // New messages at the bottom stay in view.
    connect(m_messages->model(), &QAbstractItemModel::rowsInserted, m_messages,
            &QTableView::scrollToBottom);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(filter);
    leftLayout->addWidget(m_rooms, 1);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_roomTitle);
    auto *toolbar = new QToolBar(right);
    toolbar->setObjectName(QStringLiteral("roomActions"));
    rightLayout->addWidget(toolbar);
    rightLayout->addWidget(m_messages, 1);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    const auto add = [this, toolbar](QString (*text)(), const QKeySequence &key, auto run) {
        auto *action = new QAction(this);
        m_texts.add([action, text] { action->setText(text()); });
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, run);
        toolbar->addAction(action);
        addAction(action);
        return action;
    };
    const auto ask = [this](const QString &title, const QString &question) {
        return ReasonDialog::ask(this, title, question);
    };
    add([] { return tr("Delete"); }, QKeySequence::Delete,
        [this, ask] {
            if (const QString why = ask(tr("Delete"), tr("Delete the selected message?"));
                !why.isEmpty())
                deleteSelected(why);
        });
    auto *presets = new QMenu(this);
    using Label = QString (*)();
    for (const auto &[label, seconds] :
         {std::pair<Label, int>{[] { return tr("5 minutes"); }, 300},
          std::pair<Label, int>{[] { return tr("1 hour"); }, 3600},
          std::pair<Label, int>{[] { return tr("24 hours"); }, 86400},
          std::pair<Label, int>{[] { return tr("7 days"); }, 604800}}) {
        QAction *preset =
            presets->addAction(QString(), this, [this, ask, label = label, seconds = seconds] {
                const QString why =
                    ask(tr("Timeout"), tr("Time the author out for %1?").arg(label()));
                if (!why.isEmpty())
                    timeoutSelectedAuthor(seconds, why);
            });
        m_texts.add([preset, label = label] { preset->setText(label()); });
    }
    auto *timeout = new QAction(this);
    m_texts.add([timeout] { timeout->setText(tr("Timeout")); });
    timeout->setShortcut(QKeySequence(Qt::Key_T));
    timeout->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    timeout->setMenu(presets);
    connect(timeout, &QAction::triggered, this, [this, presets] {
        presets->popup(m_messages->mapToGlobal(m_messages->rect().center()));
    });
    toolbar->addAction(timeout);
    addAction(timeout);
    add([] { return tr("Ban"); }, QKeySequence(Qt::Key_B),
        [this, ask] {
            if (const QString why = ask(tr("Ban"), tr("Ban the author from this room?"));
                !why.isEmpty())
                banSelectedAuthor(why);
        });
    add([] { return tr("Purge"); }, QKeySequence(Qt::Key_P),
        [this, ask] {
            if (const QString why =
                    ask(tr("Purge"), tr("Delete the author's messages of the last 10 minutes?"));
                !why.isEmpty())
                purgeSelectedAuthor(10, why);
        });
    toolbar->addSeparator();
    add([] { return tr("Slow mode..."); }, QKeySequence(Qt::Key_S),
        [this] {
            bool ok = false;
            const int seconds = QInputDialog::getInt(this, tr("Slow mode"),
                                                     tr("Seconds between two messages of a member "
                                                        "(0: off):"),
                                                     30, 0, 3600, 5, &ok);
            if (ok)
                setSlowMode(seconds, tr("slow mode from the console"));
        });
    add([] { return tr("Lock"); }, QKeySequence(Qt::Key_L),
        [this, ask] {
            if (const QString why =
                    ask(tr("Lock"), tr("Lock the room? Members can read, not write."));
                !why.isEmpty())
                setLocked(true, why);
        });
    add([] { return tr("Unlock"); }, QKeySequence(Qt::SHIFT | Qt::Key_L),
        [this] { setLocked(false, tr("unlocked from the console")); });
    add([] { return tr("Grant moderator..."); }, QKeySequence(Qt::Key_G),
        [this] {
            bool ok = false;
            const QString user = QInputDialog::getText(
                this, tr("Grant moderator"), tr("User id to make a moderator of the room:"),
                QLineEdit::Normal, QString(), &ok);
            if (ok && !user.trimmed().isEmpty())
                grantModerator(user.trimmed(), tr("granted from the console"));
        });
}

void RoomsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_texts.retranslate();
        m_session->moderation()->rooms()->retranslate();
        m_feed->messages()->retranslate();
    }
    QWidget::changeEvent(event);
}

void RoomsView::showTitle()
{
    const QString room = m_feed->room();
    m_roomTitle->setText(room.isEmpty() ? tr("No room selected") : tr("Room %1").arg(room));
}

void RoomsView::showRoom(const QString &room)
{
    m_feed->show(room, [this, room](const QString &problem) {
        if (!problem.isEmpty())
            Q_EMIT actionFailed(tr("Cannot follow %1: %2").arg(room, problem));
    });
    showTitle();
}

QJsonObject RoomsView::selectedMessage() const
{
    const QModelIndexList rows = m_messages->selectionModel()->selectedRows(0);
    return rows.isEmpty() ? QJsonObject()
                          : rows.first().data(JsonTableModel::ObjectRole).toJsonObject();
}

void RoomsView::act(QJsonObject action, const QString &summary)
{
    action.insert(QStringLiteral("room"), m_feed->room());
    m_session->moderation()->act(action, [this, summary](const QString &problem) {
        if (problem.isEmpty())
            Q_EMIT actionDone(summary);
        else
            Q_EMIT actionFailed(tr("%1 failed: %2").arg(summary, problem));
    });
}

void RoomsView::deleteSelected(const QString &reason)
{
    const QJsonObject message = selectedMessage();
    if (message.isEmpty())
        return;
    act({{QStringLiteral("action"), QStringLiteral("delete")},
         {QStringLiteral("message_id"), message.value(u"message_id")},
         {QStringLiteral("reason"), reason}},
        tr("Message %1 deleted").arg(message.value(u"message_id").toInteger()));
}

void RoomsView::timeoutSelectedAuthor(int seconds, const QString &reason)
{
    const QString author = selectedMessage().value(u"sender").toString();
    if (author.isEmpty())
        return;
    act({{QStringLiteral("action"), QStringLiteral("timeout")},
         {QStringLiteral("user"), author},
         {QStringLiteral("seconds"), seconds},
         {QStringLiteral("reason"), reason}},
        tr("%1 timed out").arg(author));
}

void RoomsView::banSelectedAuthor(const QString &reason)
{
    const QString author = selectedMessage().value(u"sender").toString();
    if (author.isEmpty())
        return;
    act({{QStringLiteral("action"), QStringLiteral("ban")},
         {QStringLiteral("user"), author},
         {QStringLiteral("reason"), reason}},
        tr("%1 banned from %2").arg(author, m_feed->room()));
}

void RoomsView::purgeSelectedAuthor(int minutes, const QString &reason)
{
    const QString author = selectedMessage().value(u"sender").toString();
    if (author.isEmpty())
        return;
    act({{QStringLiteral("action"), QStringLiteral("purge")},
         {QStringLiteral("user"), author},
         {QStringLiteral("minutes"), minutes},
         {QStringLiteral("reason"), reason}},
        tr("Recent messages of %1 purged").arg(author));
}

void RoomsView::setSlowMode(int seconds, const QString &reason)
{
    act({{QStringLiteral("action"), QStringLiteral("slow_mode")},
         {QStringLiteral("seconds"), seconds},
         {QStringLiteral("reason"), reason}},
        tr("Slow mode of %1: %2 s").arg(m_feed->room()).arg(seconds));
}

void RoomsView::setLocked(bool locked, const QString &reason)
{
    act({{QStringLiteral("action"), QStringLiteral("lock")},
         {QStringLiteral("locked"), locked},
         {QStringLiteral("reason"), reason}},
        locked ? tr("%1 locked").arg(m_feed->room()) : tr("%1 unlocked").arg(m_feed->room()));
}

void RoomsView::grantModerator(const QString &user, const QString &reason)
{
    act({{QStringLiteral("action"), QStringLiteral("grant")},
         {QStringLiteral("user"), user},
         {QStringLiteral("reason"), reason}},
        tr("%1 is a moderator of %2").arg(user, m_feed->room()));
}

} // namespace veza::console
