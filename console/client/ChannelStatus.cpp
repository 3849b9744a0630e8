#include "ChannelStatus.h"

#include <QCoreApplication>

namespace veza::console {

QString channelName(Channel channel)
{
    switch (channel) {
    case Channel::Http:
        return QCoreApplication::translate("ChannelStatus", "HTTP");
    case Channel::Monitor:
        return QCoreApplication::translate("ChannelStatus", "Monitor");
    case Channel::Chat:
        return QCoreApplication::translate("ChannelStatus", "Chat");
    case Channel::Metrics:
        return QCoreApplication::translate("ChannelStatus", "Metrics");
    }
    return {};
}

QString stateName(ChannelStatus::State state)
{
    switch (state) {
    case ChannelStatus::State::Disconnected:
        return QCoreApplication::translate("ChannelStatus", "Disconnected");
    case ChannelStatus::State::Connecting:
        return QCoreApplication::translate("ChannelStatus", "Connecting");
    case ChannelStatus::State::Connected:
        return QCoreApplication::translate("ChannelStatus", "Connected");
    case ChannelStatus::State::Degraded:
        return QCoreApplication::translate("ChannelStatus", "Degraded");
    }
    return {};
}

void ConnectionStatus::set(Channel channel, ChannelStatus::State state, const QString &reason)
{
    ChannelStatus &current = m_statuses[int(channel)];
    const ChannelStatus next{state, reason, QDateTime::currentDateTime()};
    if (current == next)
        return;
    current = next;
    Q_EMIT changed(channel, current);
}

ChannelStatus ConnectionStatus::status(Channel channel) const
{
    return m_statuses[int(channel)];
}

} // namespace veza::console
