#include "MainWindow.h"

#include "ConnectDialog.h"
#include "ServerConnection.h"

#include <QApplication>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QStatusBar>
#include <QVBoxLayout>

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_connection(new ServerConnection(this))
{
    setWindowTitle(tr("Veza Console"));
    resize(720, 480);

    QMenu *serverMenu = menuBar()->addMenu(tr("&Server"));
    serverMenu->addAction(tr("&Connect..."), QKeySequence::Open, this,
                          &MainWindow::showConnectDialog);
    serverMenu->addAction(tr("&Disconnect"), this, [this] { m_connection->close(); });
    serverMenu->addSeparator();
    serverMenu->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    auto *central = new QWidget(this);
    m_stateLabel = new QLabel(central);
    m_stateLabel->setObjectName(QStringLiteral("connectionState"));
    m_pingButton = new QPushButton(tr("Ping"), central);
    m_pingButton->setEnabled(false);
    m_log = new QListWidget(central);
    m_log->setObjectName(QStringLiteral("activityLog"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_stateLabel, 1);
    top->addWidget(m_pingButton);
    auto *layout = new QVBoxLayout(central);
    layout->addLayout(top);
    layout->addWidget(m_log, 1);
    setCentralWidget(central);
    setState(tr("Not connected"));

    connect(m_pingButton, &QPushButton::clicked, m_connection, &ServerConnection::ping);
    connect(m_connection, &ServerConnection::connected, this, [this] {
        setState(tr("Connected to %1").arg(m_connection->url().toString()));
        m_pingButton->setEnabled(true);
        addLogLine(tr("Connected to %1").arg(m_connection->url().toString()));
    });
    connect(m_connection, &ServerConnection::disconnected, this, [this](const QString &reason) {
        setState(tr("Not connected"));
        m_pingButton->setEnabled(false);
        addLogLine(tr("Disconnected: %1").arg(reason));
    });
    connect(m_connection, &ServerConnection::pongReceived, this, [this](qint64 ms) {
        addLogLine(tr("Server answered in %n ms", nullptr, static_cast<int>(ms)));
    });
    connect(m_connection, &ServerConnection::protocolError, this,
            [this](const QString &message) { addLogLine(tr("Server error: %1").arg(message)); });
}

void MainWindow::connectTo(const QUrl &url)
{
    m_lastUrl = url;
    setState(tr("Connecting to %1...").arg(url.toString()));
    m_connection->open(url);
}

void MainWindow::showConnectDialog()
{
    ConnectDialog dialog(m_lastUrl, this);
    if (dialog.exec() == QDialog::Accepted)
        connectTo(dialog.serverUrl());
}

void MainWindow::addLogLine(const QString &line)
{
    m_log->addItem(QStringLiteral("%1  %2").arg(
        QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
    m_log->scrollToBottom();
}

void MainWindow::setState(const QString &state)
{
    m_stateLabel->setText(state);
    statusBar()->showMessage(state);
}
