#include "chat/OnlineMemberships.h"

namespace veza::chat {

void OnlineMemberships::add(qint64 userId, qint64 roomId)
{
    QSet<qint64> &rooms = m_userRooms[userId];
    if (rooms.contains(roomId))
        return;
    rooms.insert(roomId);
    if (++m_online[roomId] == 1 && m_interest)
        m_interest(roomId, true);
}

void OnlineMemberships::remove(qint64 userId, qint64 roomId)
{
    const auto user = m_userRooms.find(userId);
    if (user == m_userRooms.end() || !user->remove(roomId))
        return;
    if (user->isEmpty())
        m_userRooms.erase(user);
    const auto room = m_online.find(roomId);
    if (--*room > 0)
        return;
    m_online.erase(room);
    if (m_interest)
        m_interest(roomId, false);
}

void OnlineMemberships::removeUser(qint64 userId)
{
    const QSet<qint64> rooms = m_userRooms.value(userId);
    for (qint64 roomId : rooms)
        remove(userId, roomId);
}

} // namespace veza::chat
