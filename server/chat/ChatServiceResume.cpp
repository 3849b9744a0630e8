// ChatService: in-order publishing and resume. A reconnecting client sends, per room, the
// last message id it saw and receives everything after it in order, then live traffic: no
// gap, no duplicate. Same thread and rules as ChatService.cpp.
//
// Why it holds: message events of a room are published in seq order (publishMessage). A
// resuming connection is unsubscribed from the room, the messages after its id are read, and
// the read is repeated until nothing newer has been published meanwhile; then the
// connection is subscribed again with a floor at the last seq it was sent, so a message read
// by the resume but published afterwards is not delivered twice.
#include "MonotonicClock.h"
#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/ChatService.h"
#include "protocol/ServerFrames.h"
#include "storage/Database.h"

#include <QFuture>
#include <QJsonArray>
#include <QTimer>

namespace veza::chat {
namespace {

using protocol::ErrorCode;
using protocol::MessageType;
using namespace detail;

constexpr int kResumePage = 500;
// Further behind than this, a client pages with `history` instead of replaying everything.
constexpr int kResumeMaxMessages = 5000;
// Out-of-order appends are rare (several database connections finishing close together);
// past this many held back, something was lost and waiting longer would stall the room.
constexpr int kMaxHeldBack = 256;
// How long a gap in a room's message ids may stay open before the missing messages are read
// from the database: another instance's message normally arrives through the relay within
// milliseconds; one the relay lost never does.
constexpr int kGapWaitMs = 200;

struct ResumePage
{
    QList<qint64> seqs;
    QList<QByteArray> frames;
};

} // namespace

struct ChatService::ResumeState
{
    QJsonValue id;
    int remaining = 0;
    QJsonArray rooms;
    bool acknowledge = true; // false for the silent replay of settle()
    qint64 viewerId = 0;     // the resuming user: whose reactions are `me`
};

void ChatService::settle(const ConnectionRef &connection, const QList<QString> &resumedByClient)
{
    auto session = m_sessions.find(connection);
    if (session == m_sessions.end() || session->unsettled.isEmpty())
        return;
    const QList<PendingRoom> rooms = std::exchange(session->unsettled, {});
    auto state = std::make_shared<ResumeState>();
    state->acknowledge = false;
    state->viewerId = session->userId;
    for (const PendingRoom &room : rooms) {
        if (resumedByClient.contains(room.name))
            continue; // the client's own resume covers it
        ++state->remaining;
        resumeRoom(connection, room.roomId, room.name, room.lastSeq, 0, state);
    }
}

void ChatService::seedLastPublished(qint64 roomId, qint64 lastSeq)
{
    if (!m_lastPublished.contains(roomId))
        m_lastPublished.insert(roomId, lastSeq);
}

void ChatService::publishMessage(qint64 roomId, qint64 seq, const QByteArray &frame,
                                 qint64 receivedAtNs)
{
    // chat_message_latency_seconds: frame received -> the last receiver's frame written.
    const auto publish = [this, roomId](qint64 messageSeq, const HeldMessage &message) {
        metrics::Histogram *latency = &m_metrics.latency;
        const qint64 receivedAt = message.receivedAtNs;
        m_outbox->publish(roomId, message.frame, messageSeq, [latency, receivedAt] {
            latency->observe(double(monotonicNs() - receivedAt) / 1e9);
        });
    };
    auto last = m_lastPublished.find(roomId);
    if (last == m_lastPublished.end() || seq == *last + 1 || seq <= *last) {
        publish(seq, {frame, receivedAtNs});
        qint64 &lastSeq = m_lastPublished[roomId];
        lastSeq = std::max(lastSeq, seq);
        auto held = m_outOfOrder.find(roomId);
        while (held != m_outOfOrder.end() && !held->isEmpty() && held->firstKey() == lastSeq + 1) {
            publish(held->firstKey(), held->first());
            lastSeq = held->firstKey();
            held->erase(held->begin());
        }
        if (held != m_outOfOrder.end() && held->isEmpty())
            m_outOfOrder.erase(held);
        return;
    }
    QMap<qint64, HeldMessage> &held = m_outOfOrder[roomId];
    held.insert(seq, {frame, receivedAtNs});
    watchGap(roomId);
    if (held.size() > kMaxHeldBack) {
        for (auto it = held.cbegin(); it != held.cend(); ++it)
            publish(it.key(), it.value());
        m_lastPublished[roomId] = held.lastKey();
        m_outOfOrder.remove(roomId);
    }
}

void ChatService::publishToRoom(qint64 roomId, const QByteArray &frame)
{
    m_outbox->publish(roomId, frame);
    if (m_relay)
        m_relay->tell(roomId, 0, frame);
}

void ChatService::heardFromPeer(qint64 roomId, qint64 seq, const QByteArray &frame)
{
    if (seq <= 0)
        return m_outbox->publish(roomId, frame);
    const auto last = m_lastPublished.constFind(roomId);
    // Not followed here (nobody online in it), or published already: read from the database
    // while the relay was slower.
    if (last == m_lastPublished.cend() || seq <= *last)
        return;
    m_metrics.relayedMessages.inc();
    publishMessage(roomId, seq, frame, monotonicNs());
}

void ChatService::catchUpHeardRooms()
{
    for (qint64 roomId : m_memberships.heardRooms())
        catchUp(roomId);
}

void ChatService::watchGap(qint64 roomId)
{
    if (m_gapsWatched.contains(roomId))
        return;
    m_gapsWatched.insert(roomId);
    QTimer::singleShot(kGapWaitMs, this, [this, roomId] {
        m_gapsWatched.remove(roomId);
        if (!m_outOfOrder.value(roomId).isEmpty())
            catchUp(roomId);
    });
}

void ChatService::catchUp(qint64 roomId)
{
    const auto last = m_lastPublished.constFind(roomId);
    if (last == m_lastPublished.cend() || m_catchingUp.contains(roomId))
        return;
    m_catchingUp.insert(roomId);
    m_metrics.catchUps.inc();
    auto cipher = m_cipher;
    m_database
        .run([roomId, after = *last, cipher](QSqlDatabase &db) {
            ResumePage page;
            const std::optional<RoomInfo> room = ChatRooms::room(db, roomId);
            if (!room)
                return page;
            const QList<ChatMessage> messages =
                ChatMessages::messagesAfter(db, *cipher, roomId, after, kResumePage, 0);
            const QHash<qint64, Author> authors = authorsOf(db, messages);
            for (const ChatMessage &message : messages) {
                page.seqs.append(message.seq);
                page.frames.append(protocol::eventFrame(
                    MessageType::Message,
                    messageJson(room->name, message, authors.value(message.senderId))));
            }
            return page;
        })
        .then(this,
              [this, roomId](const ResumePage &page) {
                  m_catchingUp.remove(roomId);
                  const qint64 now = monotonicNs();
                  for (qsizetype i = 0; i < page.seqs.size(); ++i) {
                      if (page.seqs[i] > m_lastPublished.value(roomId))
                          publishMessage(roomId, page.seqs[i], page.frames[i], now);
                  }
                  if (page.seqs.size() == kResumePage)
                      catchUp(roomId);
              })
        .onFailed(this, [this, roomId] {
            m_catchingUp.remove(roomId);
            watchGap(roomId); // tried again shortly, if still needed
        });
}

void ChatService::resume(const ConnectionRef &connection, const Session &session,
                         const Request &request)
{
    auto state = std::make_shared<ResumeState>();
    state->id = request.id;
    state->viewerId = session.userId;
    struct Entry
    {
        qint64 roomId;
        QString name;
        qint64 after;
    };
    QList<Entry> entries;
    for (const QJsonValue &value : request.fields.value(QLatin1StringView("rooms")).toArray()) {
        const QJsonObject entry = value.toObject();
        const QString name = entry.value(QLatin1StringView("room")).toString();
        const double after = entry.value(QLatin1StringView("after")).toDouble(-1);
        if (name.isEmpty() || after < 0)
            return fail(
                connection, request.id, ErrorCode::BadRequest,
                QStringLiteral("each of \"rooms\" needs \"room\" and \"after\" (a message id)"));
        const qint64 roomId = memberRoomId(session, name);
        if (roomId == 0)
            return fail(connection, request.id, ErrorCode::NotFound,
                        QStringLiteral("no room \"%1\" among yours").arg(name));
        entries.append({roomId, name, qint64(after)});
    }
    if (entries.isEmpty())
        return m_outbox->send(
            connection, protocol::ackFrame(request.id, {{QStringLiteral("rooms"), QJsonArray()}}));
    state->remaining = int(entries.size());
    for (const Entry &entry : entries) {
        m_outbox->unsubscribe(connection, entry.roomId); // until it has caught up
        resumeRoom(connection, entry.roomId, entry.name, entry.after, 0, state);
    }
}

void ChatService::resumeRoom(const ConnectionRef &connection, qint64 roomId,
                             const QString &roomName, qint64 afterSeq, int sentSoFar,
                             const std::shared_ptr<ResumeState> &state)
{
    auto cipher = m_cipher;
    const qint64 viewerId = state->viewerId;
    m_database
        .run([=](QSqlDatabase &db) {
            ResumePage page;
            const QList<ChatMessage> messages =
                ChatMessages::messagesAfter(db, *cipher, roomId, afterSeq, kResumePage, viewerId);
            const QHash<qint64, Author> authors = authorsOf(db, messages);
            for (const ChatMessage &message : messages) {
                page.seqs.append(message.seq);
                page.frames.append(protocol::eventFrame(
                    MessageType::Message,
                    messageJson(roomName, message, authors.value(message.senderId))));
            }
            return page;
        })
        .then(this,
              [this, connection, roomId, roomName, afterSeq, sentSoFar,
               state](const ResumePage &page) {
                  if (!m_sessions.contains(connection))
                      return; // gone meanwhile
                  for (qsizetype i = 0; i < page.frames.size(); ++i)
                      m_outbox->sendMessage(connection, roomId, page.seqs[i], page.frames[i]);
                  const qint64 reached = page.seqs.isEmpty() ? afterSeq : page.seqs.last();
                  const int sent = sentSoFar + int(page.frames.size());
                  const bool newerPublished = m_lastPublished.value(roomId, 0) > reached;
                  if ((page.frames.size() == kResumePage || newerPublished) &&
                      sent < kResumeMaxMessages)
                      return resumeRoom(connection, roomId, roomName, reached, sent, state);
                  if (sent < kResumeMaxMessages)
                      seedLastPublished(roomId, reached); // the room's end, as read
                  m_outbox->subscribe(connection, roomId, reached);
                  state->rooms.append(
                      QJsonObject{{QStringLiteral("room"), roomName},
                                  {QStringLiteral("last_message_id"), reached},
                                  {QStringLiteral("complete"), sent < kResumeMaxMessages}});
                  if (--state->remaining == 0 && state->acknowledge)
                      m_outbox->send(
                          connection,
                          protocol::ackFrame(state->id, {{QStringLiteral("rooms"), state->rooms}}));
              })
        .onFailed(this, [this, connection, id = state->id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry the resume"));
        });
}

} // namespace veza::chat
