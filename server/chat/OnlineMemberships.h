#pragma once

#include <QHash>
#include <QSet>
#include <functional>

namespace veza::chat {

// The rooms of the users online on this instance, and how many of them each room has: the
// rooms whose events this instance must hear from the others (told through `interest` when a
// room gains its first member online here or loses its last). Chat thread.
class OnlineMemberships
{
public:
    using Interest = std::function<void(qint64 roomId, bool heard)>;

    void setInterest(Interest interest) { m_interest = std::move(interest); }

    void add(qint64 userId, qint64 roomId);
    void remove(qint64 userId, qint64 roomId);
    void removeUser(qint64 userId); // went offline
    QSet<qint64> rooms(qint64 userId) const { return m_userRooms.value(userId); }
    bool contains(qint64 userId, qint64 roomId) const
    {
        return m_userRooms.value(userId).contains(roomId);
    }
    // Members of the room online here.
    int onlineIn(qint64 roomId) const { return m_online.value(roomId); }
    // The rooms with at least one member online here.
    QList<qint64> heardRooms() const { return m_online.keys(); }

private:
    QHash<qint64, QSet<qint64>> m_userRooms; // user -> rooms
    QHash<qint64, int> m_online;             // room -> members online here (> 0)
    Interest m_interest;
};

} // namespace veza::chat
