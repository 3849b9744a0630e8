#include "StreamPanel.h"

#include "ConsoleSession.h"
#include "ReasonDialog.h"
#include "StreamListenersModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace veza::console {

StreamPanel::StreamPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_listeners(new StreamListenersModel(session->api(), this))
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("streamTitle"));
    m_title->setTextFormat(Qt::PlainText);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);
    m_nowPlaying = new QLabel(this);
    m_nowPlaying->setObjectName(QStringLiteral("nowPlaying"));
    m_nowPlaying->setTextFormat(Qt::PlainText);

    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_listeners);
    proxy->setSortRole(StreamListenersModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("listenersTable"));
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_kick = new QPushButton(tr("&Disconnect listener..."), this);
    m_kick->setObjectName(QStringLiteral("kickListener"));
    m_kick->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_cut = new QPushButton(tr("&Cut source..."), this);
    m_cut->setObjectName(QStringLiteral("cutSource"));
    m_end = new QPushButton(tr("&End stream..."), this);
    m_end->setObjectName(QStringLiteral("endStream"));
    connect(m_kick, &QPushButton::clicked, this, [this] {
        const QString reason = ReasonDialog::ask(
            this, tr("Disconnect"),
            tr("Disconnect the selected listener of %1? It may connect again.").arg(m_stream));
        if (!reason.isEmpty())
            kickSelected(reason);
    });
    connect(m_cut, &QPushButton::clicked, this, [this] {
        const QString reason = ReasonDialog::ask(
            this, tr("Cut source"),
            tr("Cut the source of %1 off? Listeners stay for the grace period; the source is "
               "refused for 10 minutes.")
                .arg(m_stream));
        if (!reason.isEmpty())
            cutSource(reason, 600);
    });
    connect(m_end, &QPushButton::clicked, this, [this] {
        const QString reason = ReasonDialog::ask(
            this, tr("End stream"),
            tr("End %1? Its source and every listener are disconnected and the stream is "
               "deleted.")
                .arg(m_stream));
        if (!reason.isEmpty())
            endStream(reason);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_kick->setEnabled(m_table->selectionModel()->hasSelection()); });
    connect(session->streams(), &QAbstractItemModel::dataChanged, this,
            &StreamPanel::refreshHeader);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_kick);
    actions->addStretch(1);
    actions->addWidget(m_cut);
    actions->addWidget(m_end);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_nowPlaying);
    layout->addWidget(new QLabel(tr("Listeners connected now:"), this));
    layout->addWidget(m_table, 1);
    layout->addLayout(actions);
    showStream({});
}

void StreamPanel::showStream(const QString &name)
{
    m_stream = name;
    m_listeners->setStream(name);
    m_kick->setEnabled(false);
    m_cut->setEnabled(!name.isEmpty());
    m_end->setEnabled(!name.isEmpty());
    refreshHeader();
}

void StreamPanel::refreshHeader()
{
    if (m_stream.isEmpty()) {
        m_title->setText(tr("No stream selected"));
        m_nowPlaying->clear();
        return;
    }
    const QJsonObject entry = m_session->streams()->entry(m_stream);
    const QString title = entry.value(u"title").toString();
    m_title->setText(title.isEmpty() ? m_stream : tr("%1 (%2)").arg(title, m_stream));
    const QString song = entry.value(u"now_playing")[u"title"].toString();
    m_nowPlaying->setText(song.isEmpty() ? tr("Nothing announced on air")
                                         : tr("On air: %1").arg(song));
}

void StreamPanel::kickSelected(const QString &reason)
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(StreamListenersModel::Id);
    if (rows.isEmpty())
        return;
    const qint64 id = rows.first().data(StreamListenersModel::IdRole).toLongLong();
    m_listeners->disconnectListener(id, reason, [this, id](const QString &problem) {
        report(tr("Listener %1 of %2 disconnected").arg(id).arg(m_stream), problem);
    });
}

void StreamPanel::cutSource(const QString &reason, int blockSeconds)
{
    const QString stream = m_stream;
    m_session->api()->send(
        "POST", QStringLiteral("/api/streams/%1/source/disconnect").arg(stream),
        {{QStringLiteral("reason"), reason}, {QStringLiteral("block_seconds"), blockSeconds}}, this,
        [this, stream](const ApiResult &result) {
            report(tr("Source of %1 cut off").arg(stream), result.ok() ? QString() : result.error);
        });
}

void StreamPanel::endStream(const QString &reason)
{
    const QString stream = m_stream;
    m_session->api()->send(
        "DELETE", QStringLiteral("/api/streams/%1").arg(stream),
        {{QStringLiteral("reason"), reason}}, this, [this, stream](const ApiResult &result) {
            report(tr("Stream %1 ended").arg(stream), result.ok() ? QString() : result.error);
        });
}

void StreamPanel::report(const QString &done, const QString &problem)
{
    if (problem.isEmpty())
        Q_EMIT actionDone(done);
    else
        Q_EMIT actionFailed(tr("%1 failed: %2").arg(done, problem));
}

} // namespace veza::console
