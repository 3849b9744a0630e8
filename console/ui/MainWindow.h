#pragma once

#include "Retranslator.h"
#include "ServerProfile.h"

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QSystemTrayIcon;
class QTabWidget;

namespace veza::console {

class AuditLogView;
class ConnectionIndicators;
class ConsoleSession;
class OncallView;
class ReviewQueueView;
class RunbookView;
class RoomsView;
class StreamPanel;
class StreamsView;
class TokenStore;
class UsersView;

// The console's main window: menus, a toolbar, the work areas as tabs in the middle (live
// streams, rooms, the review queue, the audit log), the selected stream's panel in a dock,
// each channel's state in the status bar. It shows the
// session's models and forwards actions; the state lives in ConsoleSession. Window layout and
// state are remembered (QSettings). A language chosen in View > Language applies at once: every
// widget retranslates on QEvent::LanguageChange. GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    ConsoleSession *session() const { return m_session; }
    StreamsView *streamsView() const { return m_streams; }
    StreamPanel *streamPanel() const { return m_panel; }
    RoomsView *roomsView() const { return m_rooms; }
    ReviewQueueView *reviewQueue() const { return m_queue; }
    AuditLogView *auditLog() const { return m_audit; }
    UsersView *usersView() const { return m_users; }
    OncallView *oncallView() const { return m_oncall; }
    RunbookView *runbookView() const { return m_runbook; }
    QTabWidget *tabs() const { return m_tabs; }
    ConnectionIndicators *indicators() const { return m_indicators; }
    // Shown when the desktop has a tray; raises a notification when an alert starts firing.
    QSystemTrayIcon *trayIcon() const { return m_tray; }

    // Connects without asking (the command line, tests); the token is not stored.
    void connectTo(const ServerProfile &profile, const QByteArray &token);
    void showConnectDialog();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createMenus();
    void restoreLayout();
    void showMessage(const QString &text);
    void countReports();

    ConsoleSession *m_session;
    TokenStore *m_tokens;
    QTabWidget *m_tabs = nullptr;
    StreamsView *m_streams = nullptr;
    RoomsView *m_rooms = nullptr;
    ReviewQueueView *m_queue = nullptr;
    AuditLogView *m_audit = nullptr;
    UsersView *m_users = nullptr;
    OncallView *m_oncall = nullptr;
    RunbookView *m_runbook = nullptr;
    StreamPanel *m_panel = nullptr;
    QDockWidget *m_panelDock = nullptr;
    ConnectionIndicators *m_indicators = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    Retranslator m_texts;
};

} // namespace veza::console
