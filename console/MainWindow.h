#pragma once

#include <QMainWindow>
#include <QUrl>

class QLabel;
class QListWidget;
class QPushButton;
class ServerConnection;

// The console's main window: connection state and an activity log for now; stream and room
// views arrive with the chat and streaming work. GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

    ServerConnection *connection() const { return m_connection; }
    void connectTo(const QUrl &url);

private:
    void showConnectDialog();
    void addLogLine(const QString &line);
    void setState(const QString &state);

    ServerConnection *m_connection = nullptr;
    QLabel *m_stateLabel = nullptr;
    QPushButton *m_pingButton = nullptr;
    QListWidget *m_log = nullptr;
    QUrl m_lastUrl = QUrl(QStringLiteral("ws://127.0.0.1:8081/"));
};
