#pragma once

#include "chat/ChatAnswer.h"
#include "chat/ChatMetrics.h"
#include "chat/ChatOutbox.h"
#include "chat/ChatPresence.h"
#include "chat/ChatRelay.h"
#include "chat/ChatTypes.h"
#include "chat/JoinBatch.h"
#include "chat/OnlineMemberships.h"
#include "chat/RoomAccess.h"
#include "chat/RoomDirectory.h"
#include "chat/SendBatch.h"
#include "chat/SessionOpenBatch.h"
#include "chat/SharedRateLimit.h"
#include "chat/UserBuckets.h"
#include "chat/UserDirectory.h"
#include "net/TokenBucket.h"
#include "protocol/ClientRequest.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>
#include <functional>
#include <memory>

namespace veza::storage {
class Database;
}
namespace veza::crypto {
class MessageCipher;
}
namespace veza::moderation {
class ServerBans;
struct ModerationRequest;
struct SanctionEntry;
struct ModerationOutcome;
} // namespace veza::moderation

namespace veza::chat {

// The chat's rules, knowing nothing of sockets: sessions, rooms, durable sends, history.
// Lives on its own thread; network threads call opened/handle/closed through queued invokes
// and get answers through the ChatOutbox. Database work runs on the storage pool; the
// service continues on its thread when a job's future resolves, so it never blocks.
//
// A message is acknowledged and delivered only after it is committed: no client ever sees a
// message that a crash right after would lose.
class ChatService : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int historyLimit = 1000; // MESSAGE_HISTORY_LIMIT
        int joinHistory = 50;    // messages returned with a join
        double ratePerSecond = 100;
        double rateBurst = 100;
        bool e2eAllowed = true;   // E2E_ENCRYPTION != disabled
        bool e2eRequired = false; // E2E_ENCRYPTION == required: no plaintext in e2e rooms
        int roomsPerHour = 20;    // ROOMS_PER_USER_PER_HOUR, admins aside; 0: no cap
        // MAX_CONNECTIONS_PER_USER across the deployment (with a ChatPresence); 0: no cap. The
        // endpoints cap each instance's own sessions as they authenticate.
        int maxSessionsPerUser = 0;
    };

    ChatService(storage::Database &database, std::shared_ptr<const crypto::MessageCipher> cipher,
                Options options, ChatMetrics &metrics, QObject *parent = nullptr);
    ~ChatService() override;

    // Set once before the first connection.
    void setOutbox(ChatOutbox *outbox) { m_outbox = outbox; }
    // The server-wide bans every endpoint checks at authentication; kept current here as
    // moderators ban and unban. Set once before the first connection.
    void setServerBans(moderation::ServerBans *bans) { m_serverBans = bans; }
    // Also told of every event moderators get (moderation actions, new reports), on this
    // thread: the operators' live feed (/monitor). Set once before the first connection.
    void setModeratorEventsHook(std::function<void(const QByteArray &frame)> hook)
    {
        m_moderatorEvents = std::move(hook);
    }

    // The other instances of a deployment (REDIS_URL); none: this server runs alone. Set
    // once before the first connection; outlives the service's use of it (same thread).
    void setRelay(ChatRelay *relay) { m_relay = relay; }
    // Who is online on the other instances, and the per-user budget they share (REDIS_URL).
    // Set once before the first connection, like the relay.
    void setPresence(ChatPresence *presence) { m_presence = presence; }
    void setSharedRateLimit(SharedRateLimit *rates) { m_sharedRates = rates; }
    // A moderation action applied on another instance (ChatRelay): its target's sessions here
    // get what the local path gives them (closed, muted, out of the room...), and the
    // moderators online here the event.
    void applyPeerModeration(const ModerationNotice &notice);
    // New members of a room on another instance (ChatRelay): their sessions here hear the room
    // from now on, as a local join or creation gives them, starting after members.lastSeq.
    void applyPeerMembers(const NewMembers &members);
    // What is left of the user's shared budget (SharedRateLimit): the user's bucket here
    // holds no more. Users not online here are left alone.
    void limitRate(qint64 userId, double tokens);
    // The chat sessions of each user online here (ChatPresence re-seeds Redis with them).
    QHash<qint64, int> sessionsByUser() const;
    // active_users_total (the deployment's, when ChatPresence knows it) and
    // active_users_instance, chat_connections.
    void updateActiveUsers();
    // An event of a room from another instance (ChatRelay): a stored message (seq > 0) joins
    // this room's messages in id order, a gap it reveals filled from the database; anything
    // else goes to the room's members here as is.
    void heardFromPeer(qint64 roomId, qint64 seq, const QByteArray &frame);
    // The relay may have missed events (it reconnected): every room heard here catches up on
    // its messages from the database.
    void catchUpHeardRooms();
    // One room: another instance could not publish some of its events.
    void catchUpRoom(qint64 roomId) { catchUp(roomId); }

    void opened(const ConnectionRef &connection, const Principal &principal);
    // receivedAtNs: std::chrono::steady_clock time the frame arrived, for the latency metric.
    void handle(const ConnectionRef &connection, const protocol::ClientRequest &request,
                qint64 receivedAtNs);
    void closed(const ConnectionRef &connection);
    // A moderation request (`delete`, `timeout`, `ban`, `unban`, `slow_mode`, `lock`, `purge`)
    // from the HTTP API: the same checks, budget, effects, audit rows and live events as the
    // chat frame. `caller` authenticated with a bearer token; `answer` runs on this thread.
    void handleApi(const Principal &caller, const protocol::ClientRequest &request,
                   const AnswerTo &answer);
    // A moderator resolves a report from the HTTP API: {"outcome":"dismiss"|"delete"|"timeout"|
    // "ban"|"purge", "note":..., and the action's parameters}. The action applies to the
    // reported message (or its author in its room) with the chat frame's checks and effects;
    // the report is marked resolved once it is done.
    void resolveReport(const Principal &caller, qint64 reportId, const QJsonObject &resolution,
                       const AnswerTo &answer);
    // The rooms directory page for a moderator (the caller checked the role): each room with
    // its owner, members (and those online now), messages in the last hour, last activity,
    // open reports; `next_after` pages on.
    void roomsDirectory(const RoomDirectoryQuery &query, const AnswerTo &answer);
    // A room's messages for its moderators and global moderators, paged as `history`: public
    // and private rooms (a private room's read is audited as `view`), ciphertext for an
    // end-to-end room; direct rooms are refused. Anyone else: not_found.
    void roomMessages(const Principal &caller, const QString &roomName, const HistoryQuery &query,
                      const AnswerTo &answer);
    // The users directory page for a moderator: each user seen, with display name, roles when
    // last seen, first and last seen, connections now, messages, sanctions in force.
    void usersDirectory(const UserDirectoryQuery &query, const AnswerTo &answer);
    // One user's page: the directory's fields, recent messages in public rooms and the
    // moderation history of actions on the user.
    void userPage(const QString &name, const AnswerTo &answer);

private:
    struct Pending
    {
        protocol::ClientRequest request;
        qint64 receivedAtNs;
    };
    // A room a new connection will hear once it settles: from its lastSeq on, replayed through
    // the resume machinery so nothing published meanwhile is missed or doubled.
    using PendingRoom = OpenedRoom;
    struct Session
    {
        Principal principal;
        qint64 userId = 0; // 0 until the user row is known
        QList<Pending> pending;
        QList<PendingRoom> unsettled; // rooms not yet subscribed (see settle())
    };

    QJsonObject userJson(const UserDirectoryEntry &user,
                         const QList<moderation::SanctionEntry> &sanctions) const;
    void dispatch(const ConnectionRef &connection, const Session &session, const Pending &pending);
    void join(const ConnectionRef &connection, const Session &session,
              const protocol::ClientRequest &request);
    // ROOMS_PER_USER_PER_HOUR for this user (admins: 0, no cap), and its refusal.
    int roomsPerHourOf(const Session &session) const;
    void refuseRoomCreation(const ConnectionRef &connection, const QJsonValue &id, int perHour,
                            qint64 retryAfterMs);
    void send(const ConnectionRef &connection, const Session &session, const Pending &pending);
    void history(const ConnectionRef &connection, const Session &session,
                 const protocol::ClientRequest &request);
    // ChatServiceActions.cpp
    using Request = protocol::ClientRequest;
    void leave(const ConnectionRef &connection, const Session &session, const Request &request);
    void listRooms(const ConnectionRef &connection, const Session &session, const Request &request);
    void members(const ConnectionRef &connection, const Session &session, const Request &request);
    void edit(const ConnectionRef &connection, const Session &session, const Request &request);
    void remove(const Principal &actor, qint64 actorId, const Request &request,
                const AnswerTo &answer);
    void react(const ConnectionRef &connection, const Session &session, const Request &request);
    void typing(const ConnectionRef &connection, const Session &session, const Request &request);
    void markRead(const ConnectionRef &connection, const Session &session, const Request &request);
    // ChatServicePresence.cpp
    void publishPresence(const QString &user, const QSet<qint64> &rooms, bool online);
    // A session of the user is open (`first` here): "online" unless the user is online on
    // another instance already; over MAX_CONNECTIONS_PER_USER across them: closed (4429).
    void announceOpened(const ConnectionRef &connection, qint64 userId, bool first);
    // A session of the user closed; after its last one here, "offline" unless the user is
    // still online on another instance.
    void announceClosed(qint64 userId, const QString &user, const QSet<qint64> &rooms, bool last);
    // ChatServiceModeration.cpp
    void moderate(const Principal &actor, qint64 actorId, const Request &request,
                  const AnswerTo &answer);
    // The live side of an applied action: metrics, the moderators' event, the target's
    // connections (event, subscription, close), the room's state.
    void announceModeration(protocol::MessageType type, const moderation::ModerationRequest &asked,
                            bool locked, const QString &actorName,
                            const moderation::ModerationOutcome &outcome);
    // What an action does to its target's sessions here and tells the moderators online here:
    // the same on the instance that applied it and on the others (applyPeerModeration).
    void applyToTarget(const ModerationNotice &notice);
    // The target's side of an invite (subscribed to the room) or a kick (out of it); `frame` is
    // the moderation event, which the target receives too.
    void announceMembership(protocol::MessageType type, const QByteArray &frame, qint64 roomId,
                            const QString &roomName, qint64 roomLastSeq, qint64 targetId);
    // An answer delivered as an ack or error frame on the connection.
    AnswerTo frameAnswer(const ConnectionRef &connection, const QJsonValue &id);
    // To the global moderators online and, for a room's action, the room's moderators.
    void notifyModerators(const QByteArray &frame, std::optional<qint64> roomId = std::nullopt);
    static bool isGlobalModerator(const Principal &principal);
    // ChatServiceResume.cpp
    struct ResumeState;
    void resume(const ConnectionRef &connection, const Session &session, const Request &request);
    // A new connection hears its rooms only from its first request on (or after a short
    // settling time): a client that reconnects and sends `resume` first must not get live
    // traffic before its replay. Rooms not named by a resume are replayed from where they
    // stood when the connection opened.
    void settle(const ConnectionRef &connection, const QList<QString> &resumedByClient = {});
    void resumeRoom(const ConnectionRef &connection, qint64 roomId, const QString &roomName,
                    qint64 afterSeq, int sentSoFar, const std::shared_ptr<ResumeState> &state);
    // Publishes message events of a room in seq order, even when the database pool finishes
    // appends out of order, so "after seq N" always means everything after N.
    // receivedAtNs: when the sender's frame arrived, for chat_message_latency_seconds.
    // The room's newest committed seq, as read with its membership: publishing starts in order
    // from there after a restart (a later seq completing first is held back, not sent ahead).
    void seedLastPublished(qint64 roomId, qint64 lastSeq);
    void publishMessage(qint64 roomId, qint64 seq, const QByteArray &frame, qint64 receivedAtNs);
    // An event of the room that is not a message (seq 0) to its members here and elsewhere.
    void publishToRoom(qint64 roomId, const QByteArray &frame);
    // The room's messages past the last one published here, read from the database and
    // published in order: a gap that did not close by itself, or a relay that reconnected.
    void catchUp(qint64 roomId);
    // Messages held back behind a missing id: if the gap is still open shortly after, the
    // missing ones are read (catchUp).
    void watchGap(qint64 roomId);
    // ChatServiceKeys.cpp
    void keys(const ConnectionRef &connection, const Session &session, const Request &request);
    // A claimer's own budget of prekey claims, so that nobody drains another user's prekeys
    // (each is handed out once) faster than a client starting sessions would.
    static constexpr int kPrekeyClaimsPerMinute = 10;
    // ChatServiceReports.cpp
    void report(const Principal &reporter, qint64 reporterId, const Request &request,
                const AnswerTo &answer);
    // Reports a user may file: a burst of 10, then one every 6 minutes.
    static constexpr int kReportsBurst = 10;
    // ChatServiceRooms.cpp
    void directMessage(const ConnectionRef &connection, const Session &session,
                       const Pending &pending);
    void createRoom(const ConnectionRef &connection, const Session &session,
                    const Request &request);
    // Subscribes every online connection of these users to the room.
    void subscribeUsers(const QList<qint64> &userIds, const QString &roomName, qint64 roomId);
    // subscribeUsers, and the other instances do the same for the sessions they hold.
    void subscribeMembers(const NewMembers &members);
    // After a durable write: fan the message out (unless it was a retry) and acknowledge it.
    void announceStored(const ConnectionRef &connection, const QJsonValue &id, qint64 roomId,
                        const QString &roomName, const StoredMessage &stored,
                        const NewMessage &message, const Principal &sender, qint64 receivedAtNs);
    // The content of a send or dm request: plaintext body or end-to-end ciphertext.
    static Content contentOf(const Request &request);
    // The room id if the user is a member (known from its rooms and joins), else 0.
    qint64 memberRoomId(const Session &session, const QString &roomName) const;
    void rememberMembership(qint64 userId, const QString &roomName, qint64 roomId);
    void fail(const ConnectionRef &connection, const QJsonValue &id, protocol::ErrorCode code,
              const QString &message, const QJsonObject &extra = {});
    // The error for a request RoomAccess refused: not_found, or forbidden with the sanction's
    // end (`until`).
    void refuseAccess(const ConnectionRef &connection, const QJsonValue &id,
                      const QString &roomName, const RoomAccess &access);
    // Every request costs from its user's token bucket (MAX_MESSAGE_RATE a second, at most
    // MESSAGE_RATE_BURST at once), each type its own cost, so no user can fill the shared
    // publish queue with any of them; and when delivery is backlogged, every request that
    // publishes to rooms waits kBackloggedRetryMs.
    bool takeRateToken(qint64 userId, protocol::MessageType type, qint64 *retryAfterMs);
    static double requestCost(protocol::MessageType type);
    static bool publishesToRooms(protocol::MessageType type);
    static constexpr qint64 kBackloggedRetryMs = 250;
    static constexpr int kCloseBanned = 4403;          // a user banned from the whole server
    static constexpr int kCloseTooManySessions = 4429; // MAX_CONNECTIONS_PER_USER

    storage::Database &m_database;
    std::shared_ptr<const crypto::MessageCipher> m_cipher;
    // Sends, session opens and joins, committed in groups.
    std::unique_ptr<storage::GroupCommitQueue<SendRequest, SendOutcome>> m_writes;
    std::unique_ptr<storage::GroupCommitQueue<SessionOpenRequest, SessionOpening>> m_opens;
    std::unique_ptr<storage::GroupCommitQueue<JoinRequest, JoinOutcome>> m_joins;
    Options m_options;
    ChatMetrics &m_metrics;
    ChatOutbox *m_outbox = nullptr;
    moderation::ServerBans *m_serverBans = nullptr;
    QHash<ConnectionRef, Session> m_sessions;
    std::function<void(const QByteArray &)> m_moderatorEvents;
    QHash<qint64, QList<ConnectionRef>> m_userConnections; // online users
    OnlineMemberships m_memberships;                       // rooms of online users
    ChatRelay *m_relay = nullptr;
    ChatPresence *m_presence = nullptr;
    SharedRateLimit *m_sharedRates = nullptr;
    QHash<QString, qint64> m_roomIds;
    // Online users' timeouts, room -> end (ms): typing, relayed without the database, is
    // dropped meanwhile.
    QHash<qint64, QHash<qint64, qint64>> m_mutedUntil;
    // Online users' rooms of moderation by grant: they hear those rooms' moderation events.
    QHash<qint64, QSet<qint64>> m_moderatedRooms;
    QHash<qint64, qint64> m_lastPublished; // room -> seq of the last message published
    struct HeldMessage
    {
        QByteArray frame;
        qint64 receivedAtNs = 0;
    };
    QHash<qint64, QMap<qint64, HeldMessage>> m_outOfOrder; // room -> seq -> stored early
    QSet<qint64> m_gapsWatched; // rooms whose held messages are checked shortly
    QSet<qint64> m_catchingUp;  // rooms being read from the database (catchUp)
    QHash<qint64, net::TokenBucket> m_buckets;
    UserBuckets m_prekeyClaims{kPrekeyClaimsPerMinute, kPrekeyClaimsPerMinute};
    UserBuckets m_reports{10.0 / 60, kReportsBurst};
    QElapsedTimer m_clock;
};

} // namespace veza::chat
