#pragma once

#include "Retranslator.h"

#include <QWidget>

class QLineEdit;
class QTableView;

namespace veza::console {

class ConsoleSession;

// The audit log, newest first, filtered by moderator, action, target and room (the server
// filters), updating live as actions happen. GUI thread.
class AuditLogView : public QWidget
{
    Q_OBJECT

public:
    explicit AuditLogView(ConsoleSession *session, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyFilter();

    ConsoleSession *m_session;
    QLineEdit *m_actor = nullptr;
    QLineEdit *m_action = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_room = nullptr;
    QTableView *m_table = nullptr;
    Retranslator m_texts;
};

} // namespace veza::console
