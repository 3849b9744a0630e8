#include "cluster/RedisChatRelay.h"

#include "chat/ChatService.h"
#include "cluster/ControlMessages.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcCluster, "veza.cluster")

namespace veza::cluster {

namespace {

const QByteArray kChannelPrefix = "veza:chat:room:";
// seq of a marker asking the others to read the room from the database: events of it were
// not published while Redis was out of reach.
constexpr qint64 kCatchUpMarker = -1;

} // namespace

RedisChatRelay::RedisChatRelay(const redis::RedisConnection::Options &redis, QByteArray instanceId,
                               chat::ChatService &service, QObject *parent)
    : QObject(parent)
    , m_instanceId(std::move(instanceId))
    , m_service(service)
    , m_publisher(redis, this)
    , m_subscriber(
          redis,
          [this](const QByteArray &channel, const QByteArray &payload) {
              received(channel, payload);
          },
          this)
{
    connect(&m_publisher, &redis::RedisConnection::ready, this, [this] {
        // What could not be published meanwhile: the others read it from the database.
        for (qint64 roomId : std::exchange(m_untold, {}))
            publish(roomId, kCatchUpMarker, {});
        reportState();
    });
    connect(&m_publisher, &redis::RedisConnection::lost, this, &RedisChatRelay::reportState);
    connect(&m_subscriber, &redis::RedisSubscriber::resubscribed, this, [this] {
        m_service.catchUpHeardRooms(); // whatever was published while we did not listen
        reportState();
    });
    connect(&m_subscriber, &redis::RedisSubscriber::lost, this, &RedisChatRelay::reportState);
    m_subscriber.subscribe(ControlMessages::kChannel);
}

void RedisChatRelay::start()
{
    m_publisher.start();
    m_subscriber.start();
}

QByteArray RedisChatRelay::channelOf(qint64 roomId)
{
    return kChannelPrefix + QByteArray::number(roomId);
}

void RedisChatRelay::tell(qint64 roomId, qint64 seq, const QByteArray &frame)
{
    if (!m_publisher.isReady()) {
        if (seq > 0)
            m_untold.insert(roomId); // typing and presence are not worth a catch-up
        return;
    }
    publish(roomId, seq, frame);
}

void RedisChatRelay::publish(qint64 roomId, qint64 seq, const QByteArray &frame)
{
    // "<instance> <seq>\n<frame>"
    QByteArray payload;
    payload.reserve(m_instanceId.size() + 24 + frame.size());
    payload += m_instanceId;
    payload += ' ';
    payload += QByteArray::number(seq);
    payload += '\n';
    payload += frame;
    m_publisher.command({"PUBLISH", channelOf(roomId), payload},
                        [this, roomId, seq](const redis::RedisReply &reply) {
                            if (reply.isError() && seq > 0)
                                m_untold.insert(roomId);
                        });
}

void RedisChatRelay::hear(qint64 roomId, bool heard)
{
    if (heard)
        m_subscriber.subscribe(channelOf(roomId));
    else
        m_subscriber.unsubscribe(channelOf(roomId));
}

void RedisChatRelay::tellModeration(const chat::ModerationNotice &notice)
{
    // Not retried: an instance that misses it still refuses the user at the next
    // authentication or request (the database holds the sanction).
    m_publisher.command({"PUBLISH", ControlMessages::kChannel,
                         ControlMessages::envelope(m_instanceId, ControlMessages::kModeration,
                                                   ControlMessages::moderation(notice))},
                        [](const redis::RedisReply &reply) {
                            if (reply.isError())
                                qCWarning(lcCluster).noquote()
                                    << "moderation outcome not told to the other instances:"
                                    << reply.text;
                        });
}

void RedisChatRelay::tellNewMembers(const chat::NewMembers &members)
{
    // Not retried: a member's session elsewhere that misses it hears the room from its next
    // connection (which reads the user's rooms).
    m_publisher.command({"PUBLISH", ControlMessages::kChannel,
                         ControlMessages::envelope(m_instanceId, ControlMessages::kMembers,
                                                   ControlMessages::members(members))},
                        [](const redis::RedisReply &reply) {
                            if (reply.isError())
                                qCWarning(lcCluster).noquote()
                                    << "new room members not told to the other instances:"
                                    << reply.text;
                        });
}

void RedisChatRelay::receivedControl(const QByteArray &payload)
{
    const std::optional<ControlMessages::Envelope> envelope = ControlMessages::open(payload);
    if (!envelope || envelope->instanceId == m_instanceId)
        return; // applied here already
    if (envelope->kind == ControlMessages::kModeration) {
        if (const auto notice = ControlMessages::moderationOf(envelope->body))
            m_service.applyPeerModeration(*notice);
    } else if (envelope->kind == ControlMessages::kMembers) {
        if (const auto members = ControlMessages::membersOf(envelope->body))
            m_service.applyPeerMembers(*members);
    } else if (envelope->kind == ControlMessages::kRate) {
        if (const auto limit = ControlMessages::rateOf(envelope->body))
            m_service.limitRate(limit->userId, limit->tokens);
    }
}

void RedisChatRelay::received(const QByteArray &channel, const QByteArray &payload)
{
    if (channel == ControlMessages::kChannel)
        return receivedControl(payload);
    if (!channel.startsWith(kChannelPrefix))
        return;
    bool ok = false;
    const qint64 roomId = channel.sliced(kChannelPrefix.size()).toLongLong(&ok);
    const qsizetype space = payload.indexOf(' ');
    const qsizetype newline = payload.indexOf('\n', space + 1);
    if (!ok || space <= 0 || newline < 0)
        return;
    if (QByteArrayView(payload).first(space) == m_instanceId)
        return; // our own, delivered here already
    const qint64 seq = payload.sliced(space + 1, newline - space - 1).toLongLong(&ok);
    if (!ok)
        return;
    if (seq == kCatchUpMarker)
        return m_service.catchUpRoom(roomId);
    m_service.heardFromPeer(roomId, seq, payload.sliced(newline + 1));
}

void RedisChatRelay::reportState()
{
    const QString problem = isReady()                ? QString()
                            : !m_publisher.isReady() ? m_publisher.problem()
                                                     : m_subscriber.problem();
    if (problem == m_reported)
        return;
    m_reported = problem;
    emit redisProblem(problem);
}

} // namespace veza::cluster
