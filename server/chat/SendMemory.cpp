#include "chat/SendMemory.h"

#include <QMutexLocker>

namespace veza::chat {

std::optional<SendMemory::Recalled> SendMemory::recall(const QString &roomName, qint64 userId) const
{
    const QMutexLocker lock(&m_mutex);
    const auto room = m_rooms.constFind(roomName);
    if (room == m_rooms.cend())
        return std::nullopt;
    const auto sender = m_senders.constFind({room->info.id, userId});
    if (sender == m_senders.cend())
        return std::nullopt;
    Recalled recalled;
    recalled.access.room = room->info;
    recalled.access.member = sender->member;
    recalled.access.roomModerator = sender->roomModerator;
    recalled.access.sanction = sender->sanction;
    recalled.lastCreatedAtMs = room->lastCreatedAtMs;
    return recalled;
}

void SendMemory::remember(const SendAccess &access, qint64 userId, qint64 lastCreatedAtMs)
{
    if (!access.room)
        return;
    const QMutexLocker lock(&m_mutex);
    if (m_rooms.size() >= kMaxRooms || m_senders.size() >= kMaxSenders) {
        m_rooms.clear();
        m_senders.clear();
    }
    m_rooms.insert(access.room->name, {*access.room, lastCreatedAtMs});
    m_senders.insert({access.room->id, userId},
                     {access.member, access.roomModerator, access.sanction});
}

void SendMemory::written(const RoomInfo &room, qint64 lastCreatedAtMs)
{
    const QMutexLocker lock(&m_mutex);
    if (m_rooms.size() >= kMaxRooms && !m_rooms.contains(room.name))
        return;
    m_rooms.insert(room.name, {room, lastCreatedAtMs});
}

void SendMemory::forget(const QString &roomName)
{
    const QMutexLocker lock(&m_mutex);
    m_rooms.remove(roomName);
}

void SendMemory::forgetSender(qint64 roomId, qint64 userId)
{
    const QMutexLocker lock(&m_mutex);
    m_senders.remove({roomId, userId});
}

qsizetype SendMemory::roomCount() const
{
    const QMutexLocker lock(&m_mutex);
    return m_rooms.size();
}

} // namespace veza::chat
