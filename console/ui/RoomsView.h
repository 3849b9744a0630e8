#pragma once

#include "Retranslator.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace veza::console {

class ConsoleSession;
class RoomFeed;

// The rooms directory (activity, open reports) beside the selected room's live messages, with
// the moderator's actions on a message (delete, time its author out for a preset time, ban,
// purge their recent messages) and on the room (slow mode, lock, grant a room moderator). Each
// destructive action confirms and asks a reason for the audit log; each has a shortcut, so a
// moderator works without the mouse. GUI thread.
class RoomsView : public QWidget
{
    Q_OBJECT

public:
    explicit RoomsView(ConsoleSession *session, QWidget *parent = nullptr);

    QTableView *roomsTable() const { return m_rooms; }
    QTableView *messagesTable() const { return m_messages; }
    RoomFeed *feed() const { return m_feed; }
    void showRoom(const QString &room);

    // The actions on the selected message, as the shortcuts run them once the reason is given.
    void deleteSelected(const QString &reason);
    void timeoutSelectedAuthor(int seconds, const QString &reason);
    void banSelectedAuthor(const QString &reason);
    void purgeSelectedAuthor(int minutes, const QString &reason);
    void setSlowMode(int seconds, const QString &reason);
    void setLocked(bool locked, const QString &reason);
    void grantModerator(const QString &user, const QString &reason);

Q_SIGNALS:
    void actionDone(const QString &summary);
    void actionFailed(const QString &problem);

protected:
    void changeEvent(QEvent *event) override;

private:
    void showTitle();
    QJsonObject selectedMessage() const;
    void act(QJsonObject action, const QString &summary);

    ConsoleSession *m_session;
    RoomFeed *m_feed;
    QTableView *m_rooms = nullptr;
    QTableView *m_messages = nullptr;
    QLabel *m_roomTitle = nullptr;
    Retranslator m_texts;
};

} // namespace veza::console
