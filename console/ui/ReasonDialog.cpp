#include "ReasonDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace veza::console {

ReasonDialog::ReasonDialog(const QString &title, const QString &question, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    auto *text = new QLabel(question, this);
    text->setWordWrap(true);
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("Reason, kept in the audit log"));
    m_reason->setMaxLength(512);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(title);
    ok->setEnabled(false);
    connect(m_reason, &QLineEdit::textChanged, ok,
            [ok](const QString &text) { ok->setEnabled(!text.trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_reason);
    layout->addWidget(buttons);
}

QString ReasonDialog::reason() const
{
    return m_reason->text().trimmed();
}

QString ReasonDialog::ask(QWidget *parent, const QString &title, const QString &question)
{
    ReasonDialog dialog(title, question, parent);
    return dialog.exec() == QDialog::Accepted ? dialog.reason() : QString();
}

} // namespace veza::console
