#pragma once

#include <QDialog>
#include <QUrl>

class QLineEdit;
class QLabel;

// Asks for the server's WebSocket address (ws:// or wss://) and validates it before the
// main window connects. GUI thread.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(const QUrl &initial, QWidget *parent = nullptr);

    QUrl serverUrl() const;

    // Accepts ws:// and wss:// URLs with a host; returns an explanation otherwise.
    static QString validate(const QUrl &url);

private:
    void tryAccept();

    QLineEdit *m_urlEdit = nullptr;
    QLabel *m_errorLabel = nullptr;
};
