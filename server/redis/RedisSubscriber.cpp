#include "redis/RedisSubscriber.h"

namespace veza::redis {

namespace {
constexpr qsizetype kChannelsPerCommand = 1000;
}

RedisSubscriber::RedisSubscriber(RedisConnection::Options options, MessageHandler handler,
                                 QObject *parent)
    : QObject(parent)
    , m_connection(std::move(options), this) // a child: moveToThread() takes it along
    , m_handler(std::move(handler))
{
    m_connection.setPushHandler([this](const RedisReply &push) {
        if (push.elements.size() == 3 && push.elements.first().text == "message")
            m_handler(push.elements.at(1).text, push.elements.at(2).text);
    });
    connect(&m_connection, &RedisConnection::ready, this, &RedisSubscriber::subscribeAll);
    connect(&m_connection, &RedisConnection::lost, this, &RedisSubscriber::lost);
}

void RedisSubscriber::subscribe(const QByteArray &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    m_connection.commandWithoutAnswer({"SUBSCRIBE", channel}); // when ready; else at ready
}

void RedisSubscriber::unsubscribe(const QByteArray &channel)
{
    if (m_channels.remove(channel))
        m_connection.commandWithoutAnswer({"UNSUBSCRIBE", channel});
}

void RedisSubscriber::subscribeAll()
{
    QByteArrayList command{"SUBSCRIBE"};
    for (const QByteArray &channel : std::as_const(m_channels)) {
        command.append(channel);
        if (command.size() > kChannelsPerCommand) {
            m_connection.commandWithoutAnswer(command);
            command = {"SUBSCRIBE"};
        }
    }
    if (command.size() > 1)
        m_connection.commandWithoutAnswer(command);
    emit resubscribed();
}

} // namespace veza::redis
