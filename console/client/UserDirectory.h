#pragma once

#include "JsonTableModel.h"

#include <QJsonObject>
#include <QObject>
#include <functional>

namespace veza::console {

class ApiClient;

// UserDirectory: the users the server has seen (GET /api/users?query=) and one user's page
// (GET /api/users/{id}): profile, recent messages in public rooms, sanctions in force and the
// moderation history, as models; lift() ends a ban or timeout (`unban` in its scope).
// GUI thread.
class UserDirectory : public QObject
{
    Q_OBJECT

public:
    explicit UserDirectory(ApiClient *api, QObject *parent = nullptr);

    JsonTableModel *users() { return &m_users; }
    JsonTableModel *recentMessages() { return &m_messages; }
    JsonTableModel *sanctions() { return &m_sanctions; }
    JsonTableModel *history() { return &m_history; }
    QJsonObject profile() const { return m_profile; }

    void search(const QString &query);
    void open(const QString &user);
    void clear();
    // Lifts the sanction of `room` (empty: the server-wide one) of the user shown.
    void lift(const QString &room, const QString &reason,
              std::function<void(const QString &)> done);

Q_SIGNALS:
    void profileChanged();
    void failed(const QString &problem);

private:
    ApiClient *m_api;
    JsonTableModel m_users;
    JsonTableModel m_messages;
    JsonTableModel m_sanctions;
    JsonTableModel m_history;
    QJsonObject m_profile;
};

} // namespace veza::console
