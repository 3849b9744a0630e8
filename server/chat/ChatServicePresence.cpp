// ChatService: who is online. Presence events in the user's rooms when the first session
// opens and after the last one closes, across the deployment's instances when a ChatPresence
// knows them (else this instance's own sessions), MAX_CONNECTIONS_PER_USER across instances,
// and the active users gauges. Same thread as ChatService.cpp.
#include "chat/ChatService.h"
#include "protocol/ServerFrames.h"

#include <QJsonObject>

namespace veza::chat {

using protocol::MessageType;

void ChatService::publishPresence(const QString &user, const QSet<qint64> &rooms, bool online)
{
    const QJsonObject base{
        {QStringLiteral("user"), user},
        {QStringLiteral("status"), online ? QStringLiteral("online") : QStringLiteral("offline")}};
    for (qint64 roomId : rooms) {
        QJsonObject event = base;
        event.insert(QStringLiteral("room"), m_roomIds.key(roomId));
        publishToRoom(roomId, protocol::eventFrame(MessageType::Presence, event));
    }
}

void ChatService::announceOpened(const ConnectionRef &connection, qint64 userId, bool first)
{
    updateActiveUsers();
    if (!m_presence) {
        if (first)
            publishPresence(m_sessions.value(connection).principal.externalId,
                            m_memberships.rooms(userId), true);
        return;
    }
    m_presence->opened(userId, [this, connection, userId, first](int elsewhere) {
        const auto it = m_sessions.constFind(connection);
        if (it == m_sessions.cend())
            return; // closed meanwhile
        const int max = m_options.maxSessionsPerUser;
        const qsizetype here = m_userConnections.value(userId).size();
        if (max > 0 && elsewhere > 0 && here + elsewhere > max) {
            // The endpoint counted this instance's sessions only. As it refuses: an error
            // frame, then the close.
            const QString why =
                QStringLiteral("too many connections for this user (at most %1 at once)").arg(max);
            fail(connection, QJsonValue(), protocol::ErrorCode::RateLimited, why);
            return m_outbox->close(connection, kCloseTooManySessions, why);
        }
        if (first && elsewhere == 0)
            publishPresence(it->principal.externalId, m_memberships.rooms(userId), true);
    });
}

void ChatService::announceClosed(qint64 userId, const QString &user, const QSet<qint64> &rooms,
                                 bool last)
{
    if (!m_presence) {
        if (last)
            publishPresence(user, rooms, false);
        return;
    }
    ChatPresence::Elsewhere answer;
    if (last) {
        answer = [this, userId, user, rooms](int elsewhere) {
            // Still online on another instance, or back here meanwhile: no change to tell.
            if (elsewhere == 0 && !m_userConnections.contains(userId))
                publishPresence(user, rooms, false);
        };
    }
    m_presence->closed(userId, std::move(answer));
}

QHash<qint64, int> ChatService::sessionsByUser() const
{
    QHash<qint64, int> sessions;
    for (auto it = m_userConnections.cbegin(); it != m_userConnections.cend(); ++it)
        sessions.insert(it.key(), int(it->size()));
    return sessions;
}

void ChatService::updateActiveUsers()
{
    const auto here = qint64(m_userConnections.size());
    const std::optional<qint64> deployment =
        m_presence ? m_presence->deploymentUsers() : std::nullopt;
    // The deployment's count lags by a heartbeat: never below what this instance sees.
    m_metrics.activeUsers.set(double(std::max(here, deployment.value_or(0))));
    m_metrics.activeUsersInstance.set(double(here));
    m_metrics.connections.set(double(m_sessions.size()));
}

} // namespace veza::chat
