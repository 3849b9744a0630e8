#pragma once

#include "ServerProfile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace veza::console {

// Asks where the deployment is and how to prove who the operator is: the server's base URL
// (recent servers offered), an access token pasted or read from a file, and, under
// "Advanced", the WebSocket and metrics URLs (derived unless overridden), a CA file to trust
// besides the system store and a Prometheus URL. The token is remembered only in the system
// keychain, when asked. Leaves room for a password and two-factor sign-in. GUI thread.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(const QList<ServerProfile> &recent, QWidget *parent = nullptr);

    ServerProfile profile() const;
    QByteArray token() const;
    bool rememberToken() const;
    // Fills the token field (a token read from the keychain for the chosen server).
    void setToken(const QString &token);

Q_SIGNALS:
    // The operator picked another server: its token may be in the keychain.
    void serverChosen(const veza::console::ServerProfile &profile);

private:
    void choose(int index);
    void readTokenFile();
    void tryAccept();

    QList<ServerProfile> m_recent;
    QComboBox *m_server = nullptr;
    QLineEdit *m_token = nullptr;
    QCheckBox *m_remember = nullptr;
    QLineEdit *m_webSocket = nullptr;
    QLineEdit *m_metrics = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_prometheus = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace veza::console
