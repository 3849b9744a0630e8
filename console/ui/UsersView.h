#pragma once

#include "Retranslator.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace veza::console {

class ConsoleSession;
class UserDirectory;

// The users directory (search by id or name) beside the selected user's panel: profile,
// recent messages in public rooms, the sanctions in force with a Lift action (unban or
// untimeout, asking a reason), and the moderation history. GUI thread.
class UsersView : public QWidget
{
    Q_OBJECT

public:
    explicit UsersView(ConsoleSession *session, QWidget *parent = nullptr);

    UserDirectory *directory() const { return m_directory; }
    QTableView *usersTable() const { return m_users; }
    QTableView *sanctionsTable() const { return m_sanctions; }
    QString profileText() const;
    // Lifts the selected sanction.
    void liftSelected(const QString &reason);

Q_SIGNALS:
    void actionDone(const QString &summary);
    void actionFailed(const QString &problem);

protected:
    void changeEvent(QEvent *event) override;

private:
    void showProfile();

    UserDirectory *m_directory;
    QTableView *m_users = nullptr;
    QTableView *m_sanctions = nullptr;
    QLabel *m_profile = nullptr;
    Retranslator m_texts;
};

} // namespace veza::console
