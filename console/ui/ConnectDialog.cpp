#include "ConnectDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace veza::console {

ConnectDialog::ConnectDialog(const QList<ServerProfile> &recent, QWidget *parent)
    : QDialog(parent)
    , m_recent(recent)
{
    setWindowTitle(tr("Connect to a Veza server"));
    m_server = new QComboBox(this);
    m_server->setObjectName(QStringLiteral("serverUrl"));
    m_server->setEditable(true);
    m_server->lineEdit()->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080"));
    for (const ServerProfile &profile : recent)
        m_server->addItem(profile.baseUrl.toString());
    connect(m_server, &QComboBox::activated, this, &ConnectDialog::choose);

    m_token = new QLineEdit(this);
    m_token->setObjectName(QStringLiteral("token"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("Paste a moderator's or an admin's access token"));
    auto *fromFile = new QToolButton(this);
    fromFile->setObjectName(QStringLiteral("tokenFromFile"));
    fromFile->setText(tr("From a file..."));
    connect(fromFile, &QToolButton::clicked, this, &ConnectDialog::readTokenFile);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(fromFile);
    m_remember = new QCheckBox(tr("Remember the token in the system keychain"), this);
    m_remember->setObjectName(QStringLiteral("rememberToken"));
    m_remember->setChecked(true);

    auto *advanced = new QGroupBox(tr("Advanced"), this);
    advanced->setCheckable(true);
    advanced->setChecked(false);
    m_webSocket = new QLineEdit(advanced);
    m_webSocket->setObjectName(QStringLiteral("webSocketUrl"));
    m_webSocket->setPlaceholderText(tr("Derived: the server's host, its port + 1"));
    m_metrics = new QLineEdit(advanced);
    m_metrics->setObjectName(QStringLiteral("metricsUrl"));
    m_metrics->setPlaceholderText(tr("Derived: the server's host, port 9090"));
    m_caFile = new QLineEdit(advanced);
    m_caFile->setObjectName(QStringLiteral("caFile"));
    m_caFile->setPlaceholderText(tr("PEM file trusted besides the system's certificates"));
    m_prometheus = new QLineEdit(advanced);
    m_prometheus->setObjectName(QStringLiteral("prometheusUrl"));
    m_prometheus->setPlaceholderText(tr("Optional: figures of the whole deployment"));
    auto *advancedForm = new QFormLayout(advanced);
    advancedForm->addRow(tr("WebSocket address:"), m_webSocket);
    advancedForm->addRow(tr("Metrics address:"), m_metrics);
    advancedForm->addRow(tr("CA file:"), m_caFile);
    advancedForm->addRow(tr("Prometheus:"), m_prometheus);
    const auto showAdvanced = [advanced](bool on) {
        for (QWidget *child : advanced->findChildren<QWidget *>(Qt::FindDirectChildrenOnly))
            child->setVisible(on);
    };
    connect(advanced, &QGroupBox::toggled, this, showAdvanced);
    showAdvanced(false);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));

    auto *form = new QFormLayout;
    form->addRow(tr("Server:"), m_server);
    form->addRow(tr("Access token:"), tokenRow);
    form->addRow(QString(), m_remember);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::tryAccept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(advanced);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    if (!recent.isEmpty())
        choose(0);
}

void ConnectDialog::choose(int index)
{
    if (index < 0 || index >= m_recent.size())
        return;
    const ServerProfile &profile = m_recent.at(index);
    m_webSocket->setText(profile.webSocketOverride.toString());
    m_metrics->setText(profile.metricsOverride.toString());
    m_caFile->setText(profile.caFile);
    m_prometheus->setText(profile.prometheusUrl.toString());
    m_token->clear();
    Q_EMIT serverChosen(profile);
}

ServerProfile ConnectDialog::profile() const
{
    ServerProfile profile;
    profile.baseUrl = ServerProfile::normalizedBaseUrl(m_server->currentText());
    const auto url = [](const QLineEdit *edit) {
        const QString text = edit->text().trimmed();
        return text.isEmpty() ? QUrl() : QUrl(text);
    };
    profile.webSocketOverride = url(m_webSocket);
    profile.metricsOverride = url(m_metrics);
    profile.caFile = m_caFile->text().trimmed();
    profile.prometheusUrl = url(m_prometheus);
    return profile;
}

QByteArray ConnectDialog::token() const
{
    return m_token->text().trimmed().toLatin1();
}

bool ConnectDialog::rememberToken() const
{
    return m_remember->isChecked();
}

void ConnectDialog::setToken(const QString &token)
{
    if (m_token->text().isEmpty())
        m_token->setText(token);
}

void ConnectDialog::readTokenFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Read the access token from"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return m_error->setText(tr("Cannot read %1: %2").arg(path, file.errorString()));
    m_token->setText(QString::fromLatin1(file.read(64 * 1024)).trimmed());
}

void ConnectDialog::tryAccept()
{
    QString problem = profile().problem();
    if (problem.isEmpty() && token().isEmpty())
        problem = tr("An access token is needed: `veza-server token --user NAME --roles "
                     "moderator` makes one for a development server");
    m_error->setText(problem);
    if (problem.isEmpty())
        accept();
}

} // namespace veza::console
