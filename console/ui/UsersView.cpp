#include "UsersView.h"

#include "ConsoleSession.h"
#include "ReasonDialog.h"
#include "Tables.h"
#include "UserDirectory.h"

#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace veza::console {
UsersView::UsersView(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_directory(new UserDirectory(session->api(), this))
{
    auto *search = new QLineEdit(this);
    search->setObjectName(QStringLiteral("usersSearch"));
    m_texts.add(
        [search] { search->setPlaceholderText(tr("Search users by id or name, then Enter")); });
    search->setClearButtonEnabled(true);
    connect(search, &QLineEdit::returnPressed, this,
            [this, search] { m_directory->search(search->text().trimmed()); });
    m_users = makeTable(m_directory->users(), QStringLiteral("usersTable"), this);
    connect(m_users->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_users->selectionModel()->selectedRows(0);
        if (rows.isEmpty())
            m_directory->clear();
        else
            m_directory->open(rows.first().data().toString());
    });
    connect(session, &ConsoleSession::connected, this, [this](const QString &problem) {
        if (problem.isEmpty())
            m_directory->search({});
    });

    m_profile = new QLabel(this);
    m_texts.add([this] { showProfile(); });
    m_profile->setObjectName(QStringLiteral("userProfile"));
    m_profile->setWordWrap(true);
    m_sanctions = makeTable(m_directory->sanctions(), QStringLiteral("userSanctions"), this);
    auto *lift = new QPushButton(this);
    m_texts.add([lift] { lift->setText(tr("&Lift sanction...")); });
    lift->setObjectName(QStringLiteral("liftSanction"));
    connect(lift, &QPushButton::clicked, this, [this] {
        const QString reason =
            ReasonDialog::ask(this, tr("Lift"), tr("Lift the selected ban or timeout?"));
        if (!reason.isEmpty())
            liftSelected(reason);
    });
    QTableView *messages =
        makeTable(m_directory->recentMessages(), QStringLiteral("userMessages"), this);
    QTableView *history = makeTable(m_directory->history(), QStringLiteral("userHistory"), this);
    connect(m_directory, &UserDirectory::profileChanged, this, &UsersView::showProfile);
    connect(m_directory, &UserDirectory::failed, this, &UsersView::actionFailed);

    const auto label = [this](QString (*text)(), QWidget *parent) {
        auto *shown = new QLabel(parent);
        m_texts.add([shown, text] { shown->setText(text()); });
        return shown;
    };
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(search);
    leftLayout->addWidget(m_users, 1);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_profile);
    rightLayout->addWidget(label([] { return tr("Sanctions in force:"); }, right));
    rightLayout->addWidget(m_sanctions, 1);
    rightLayout->addWidget(lift, 0, Qt::AlignLeft);
    rightLayout->addWidget(label([] { return tr("Recent messages in public rooms:"); }, right));
    rightLayout->addWidget(messages, 2);
    rightLayout->addWidget(label([] { return tr("Moderation history:"); }, right));
    rightLayout->addWidget(history, 1);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
}

void UsersView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_texts.retranslate();
        for (JsonTableModel *model : {m_directory->users(), m_directory->sanctions(),
                                      m_directory->recentMessages(), m_directory->history()})
            model->retranslate();
    }
    QWidget::changeEvent(event);
}

QString UsersView::profileText() const
{
    return m_profile->text();
}

void UsersView::showProfile()
{
    const QJsonObject user = m_directory->profile();
    if (user.isEmpty())
        return m_profile->setText(tr("Select a user"));
    const QLocale locale;
    const auto when = [&locale](const QJsonValue &ms) {
        return ms.isDouble() ? locale.toString(QDateTime::fromMSecsSinceEpoch(ms.toInteger()),
                                               QLocale::ShortFormat)
                             : QStringLiteral("—");
    };
    QStringList roles;
    for (const QJsonValue &role : user.value(u"roles").toArray())
        roles << role.toString();
    m_profile->setText(tr("%1 (%2): roles %3; first seen %4, last seen %5; %n connection(s) now, "
                          "%6 messages",
                          nullptr, user.value(u"online").toInt())
                           .arg(user.value(u"user").toString(), user.value(u"name").toString(),
                                roles.isEmpty() ? tr("none") : roles.join(QStringLiteral(", ")),
                                when(user.value(u"first_seen")), when(user.value(u"last_seen")),
                                locale.toString(user.value(u"messages").toInteger())));
}

void UsersView::liftSelected(const QString &reason)
{
    const QModelIndexList rows = m_sanctions->selectionModel()->selectedRows(0);
    if (rows.isEmpty())
        return;
    const QJsonObject sanction = rows.first().data(JsonTableModel::ObjectRole).toJsonObject();
    const QString room = sanction.value(u"room").toString();
    const QString user = m_directory->profile().value(u"user").toString();
    m_directory->lift(room, reason, [this, user, room](const QString &problem) {
        if (problem.isEmpty())
            Q_EMIT actionDone(room.isEmpty() ? tr("Server-wide sanction of %1 lifted").arg(user)
                                             : tr("Sanction of %1 in %2 lifted").arg(user, room));
        else
            Q_EMIT actionFailed(tr("Not lifted: %1").arg(problem));
    });
}

} // namespace veza::console
