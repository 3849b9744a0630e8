#include "ConnectDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

ConnectDialog::ConnectDialog(const QUrl &initial, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect to a Veza server"));
    m_urlEdit = new QLineEdit(initial.toString(), this);
    m_urlEdit->setObjectName(QStringLiteral("serverUrl"));
    m_urlEdit->setPlaceholderText(QStringLiteral("ws://127.0.0.1:8081/"));
    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(QStringLiteral("error"));
    m_errorLabel->setStyleSheet(QStringLiteral("color: #b00020"));

    auto *form = new QFormLayout;
    form->addRow(tr("Server address:"), m_urlEdit);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::tryAccept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_errorLabel);
    layout->addWidget(buttons);
}

QUrl ConnectDialog::serverUrl() const
{
    return QUrl::fromUserInput(m_urlEdit->text().trimmed());
}

QString ConnectDialog::validate(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return tr("Enter an address such as ws://127.0.0.1:8081/");
    if (url.scheme() != u"ws" && url.scheme() != u"wss")
        return tr("The address must start with ws:// or wss://");
    return {};
}

void ConnectDialog::tryAccept()
{
    const QString problem = validate(serverUrl());
    m_errorLabel->setText(problem);
    if (problem.isEmpty())
        accept();
}
