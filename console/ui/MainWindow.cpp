#include "MainWindow.h"

#include "Alert.h"
#include "AuditLogView.h"
#include "ConnectDialog.h"
#include "ConnectionIndicators.h"
#include "ConsoleIcon.h"
#include "ConsoleLanguage.h"
#include "ConsoleSession.h"
#include "OncallView.h"
#include "RecentServers.h"
#include "ReviewQueueView.h"
#include "RoomsView.h"
#include "RunbookView.h"
#include "StreamPanel.h"
#include "StreamsView.h"
#include "TokenStore.h"
#include "UsersView.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QToolBar>

namespace veza::console {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new ConsoleSession(this))
    , m_tokens(new TokenStore(this))
{
    m_texts.add([this] { setWindowTitle(tr("Veza Console")); });
    setObjectName(QStringLiteral("mainWindow"));
    resize(1100, 700);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("workAreas"));
    m_streams = new StreamsView(m_session->streams(), m_tabs);
    m_rooms = new RoomsView(m_session, m_tabs);
    m_queue = new ReviewQueueView(m_session, m_tabs);
    m_audit = new AuditLogView(m_session, m_tabs);
    m_users = new UsersView(m_session, m_tabs);
    m_oncall = new OncallView(m_session, m_tabs);
    m_runbook = new RunbookView(m_session, m_tabs);
    for (QWidget *area : {static_cast<QWidget *>(m_streams), static_cast<QWidget *>(m_rooms),
                          static_cast<QWidget *>(m_queue), static_cast<QWidget *>(m_audit),
                          static_cast<QWidget *>(m_users), static_cast<QWidget *>(m_oncall),
                          static_cast<QWidget *>(m_runbook)})
        m_tabs->addTab(area, QString());
    m_texts.add([this] {
        m_tabs->setTabText(0, tr("&Streams"));
        m_tabs->setTabText(1, tr("&Rooms"));
        countReports();
        m_tabs->setTabText(3, tr("&Audit log"));
        m_tabs->setTabText(4, tr("&Users"));
        m_tabs->setTabText(5, tr("&On-call"));
        m_tabs->setTabText(6, tr("Run&books"));
    });
    connect(m_oncall, &OncallView::openRunbook, this, [this](const QString &id) {
        m_runbook->open(id);
        m_tabs->setCurrentWidget(m_runbook);
    });
    // An alert that starts firing is news even when the window is hidden.
    m_tray = new QSystemTrayIcon(consoleIcon(), this);
    m_texts.add([this] { m_tray->setToolTip(tr("Veza Console")); });
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_tray->show();
    connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    connect(m_session->oncall(), &OncallDesk::alertFired, this,
            [this](const QString &name, const QString &severity, const QString &detail) {
                const QString severityText =
                    oncall::Alert::severityText(oncall::Alert::severityFromName(severity));
                showMessage(tr("Alert %1 (%2): %3").arg(name, severityText, detail));
                if (m_tray->isVisible())
                    m_tray->showMessage(tr("Alert %1").arg(name), detail,
                                        severity == u"critical" ? QSystemTrayIcon::Critical
                                                                : QSystemTrayIcon::Warning);
            });

    setCentralWidget(m_tabs);
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *go = new QAction(this);
        go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(go, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        addAction(go);
    }
    // The queue's tab says how many reports wait.
    connect(m_session->moderation()->reports(), &QAbstractItemModel::rowsInserted, this,
            &MainWindow::countReports);
    connect(m_session->moderation()->reports(), &QAbstractItemModel::rowsRemoved, this,
            &MainWindow::countReports);
    connect(m_session->moderation()->reports(), &QAbstractItemModel::modelReset, this,
            &MainWindow::countReports);
    m_panel = new StreamPanel(m_session, this);
    m_panelDock = new QDockWidget(this);
    m_texts.add([this] { m_panelDock->setWindowTitle(tr("Stream")); });
    m_panelDock->setObjectName(QStringLiteral("streamDock"));
    m_panelDock->setWidget(m_panel);
    addDockWidget(Qt::RightDockWidgetArea, m_panelDock);
    connect(m_streams, &StreamsView::streamSelected, m_panel, &StreamPanel::showStream);
    connect(m_streams, &StreamsView::streamSelected, m_session->oncall()->runbookValues(),
            &RunbookValues::setStream);
    const auto failed = [this](const QString &problem) {
        QMessageBox::warning(this, tr("Action failed"), problem);
    };
    connect(m_panel, &StreamPanel::actionDone, this, &MainWindow::showMessage);
    connect(m_panel, &StreamPanel::actionFailed, this, failed);
    connect(m_rooms, &RoomsView::actionDone, this, &MainWindow::showMessage);
    connect(m_rooms, &RoomsView::actionFailed, this, failed);
    connect(m_queue, &ReviewQueueView::actionDone, this, &MainWindow::showMessage);
    connect(m_queue, &ReviewQueueView::actionFailed, this, failed);
    connect(m_users, &UsersView::actionDone, this, &MainWindow::showMessage);
    connect(m_users, &UsersView::actionFailed, this, failed);
    // What the operator does goes to the incident timeline.
    OncallDesk *desk = m_session->oncall();
    connect(m_panel, &StreamPanel::actionDone, desk, &OncallDesk::recordAction);
    connect(m_rooms, &RoomsView::actionDone, desk, &OncallDesk::recordAction);
    connect(m_queue, &ReviewQueueView::actionDone, desk, &OncallDesk::recordAction);
    connect(m_users, &UsersView::actionDone, desk, &OncallDesk::recordAction);

    m_indicators = new ConnectionIndicators(m_session->status(), this);
    statusBar()->addPermanentWidget(m_indicators);
    connect(m_session, &ConsoleSession::connected, this, [this](const QString &problem) {
        if (!problem.isEmpty())
            showMessage(tr("Not connected: %1").arg(problem));
        else
            showMessage(tr("Connected to %1").arg(m_session->profile().key()));
    });
    createMenus();
    restoreLayout();
}

MainWindow::~MainWindow()
{
    // The views hold the session's models: they go first.
    delete m_tabs;
    delete m_panelDock;
}

void MainWindow::createMenus()
{
    QMenu *server = menuBar()->addMenu(QString());
    server->setObjectName(QStringLiteral("serverMenu"));
    QAction *connectAction =
        server->addAction(QString(), QKeySequence::Open, this, &MainWindow::showConnectDialog);
    QAction *disconnectAction = server->addAction(QString(), this, [this] {
        m_session->disconnectFromServer();
        showMessage(tr("Disconnected"));
    });
    server->addSeparator();
    QAction *quit = server->addAction(QString(), QKeySequence::Quit, this, &QWidget::close);
    m_texts.add([=] {
        server->setTitle(tr("&Server"));
        connectAction->setText(tr("&Connect..."));
        disconnectAction->setText(tr("&Disconnect"));
        quit->setText(tr("&Quit"));
    });

    QMenu *view = menuBar()->addMenu(QString());
    view->setObjectName(QStringLiteral("viewMenu"));
    view->addAction(m_panelDock->toggleViewAction());
    QMenu *language = view->addMenu(QString());
    language->setObjectName(QStringLiteral("languageMenu"));
    m_texts.add([=] {
        view->setTitle(tr("&View"));
        language->setTitle(tr("&Language"));
    });
    auto *languages = new QActionGroup(this);
    // The languages by their own names, which do not change with the console's.
    const QList<std::pair<QString, QString>> choices = {
        {QString(), QString()},
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("fr"), QStringLiteral("Français")}};
    for (const auto &[code, name] : choices) {
        QAction *choice = language->addAction(name);
        choice->setCheckable(true);
        choice->setChecked(code == ConsoleLanguage::chosen());
        choice->setData(code);
        languages->addAction(choice);
        if (code.isEmpty())
            m_texts.add([choice] { choice->setText(tr("The system's")); });
        connect(choice, &QAction::triggered, this, [this, code = code] {
            ConsoleLanguage::choose(code); // every window retranslates at once
            showMessage(tr("Language: %1")
                            .arg(QLocale().nativeLanguageName().isEmpty()
                                     ? QStringLiteral("English")
                                     : QLocale().nativeLanguageName()));
        });
    }

    QMenu *help = menuBar()->addMenu(QString());
    help->setObjectName(QStringLiteral("helpMenu"));
    QAction *about = help->addAction(QString(), this, [this] {
        QMessageBox::about(this, tr("About Veza Console"),
                           tr("Veza Console %1: live streams, moderation and on-call for "
                              "veza-server.")
                               .arg(QApplication::applicationVersion()));
    });
    m_texts.add([=] {
        help->setTitle(tr("&Help"));
        about->setText(tr("&About"));
    });

    QToolBar *toolbar = addToolBar(QString());
    m_texts.add([toolbar] { toolbar->setWindowTitle(tr("Server")); });
    toolbar->setObjectName(QStringLiteral("serverToolbar"));
    toolbar->addAction(connectAction);
    toolbar->addAction(disconnectAction);
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/tab"), 0).toInt());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        m_texts.retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::countReports()
{
    const int open = m_session->moderation()->reports()->rowCount();
    m_tabs->setTabText(2, open > 0 ? tr("Review &queue (%1)").arg(open) : tr("Review &queue"));
}

void MainWindow::connectTo(const ServerProfile &profile, const QByteArray &token)
{
    m_session->connectTo(profile, token);
}

void MainWindow::showConnectDialog()
{
    ConnectDialog dialog(RecentServers::load(), this);
    connect(&dialog, &ConnectDialog::serverChosen, &dialog,
            [this, guard = QPointer<ConnectDialog>(&dialog)](const ServerProfile &profile) {
                m_tokens->read(profile.key(), [guard](const QString &token, const QString &) {
                    if (guard) // the keychain may answer after the dialog closed
                        guard->setToken(token);
                });
            });
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ServerProfile profile = dialog.profile();
    RecentServers::remember(profile);
    if (dialog.rememberToken()) {
        m_tokens->write(profile.key(), QString::fromLatin1(dialog.token()),
                        [this](const QString &problem) {
                            if (!problem.isEmpty())
                                showMessage(tr("The token is kept for this session only: no "
                                               "system keychain (%1)")
                                                .arg(problem));
                        });
    }
    m_session->connectTo(profile, dialog.token());
}

void MainWindow::showMessage(const QString &text)
{
    statusBar()->showMessage(text, 10000);
}

} // namespace veza::console
