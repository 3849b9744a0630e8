#pragma once

#include <QDialog>

class QLineEdit;

namespace veza::console {

// The confirmation every destructive action asks for: what is about to happen, and the reason
// that goes to the audit log (required). GUI thread.
class ReasonDialog : public QDialog
{
    Q_OBJECT

public:
    ReasonDialog(const QString &title, const QString &question, QWidget *parent = nullptr);

    QString reason() const;

    // Asks; the reason, or an empty string when the operator cancelled.
    static QString ask(QWidget *parent, const QString &title, const QString &question);

private:
    QLineEdit *m_reason = nullptr;
};

} // namespace veza::console
