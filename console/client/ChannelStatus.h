#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

namespace veza::console {

// The console's links to a server, each with its own state in the status bar.
enum class Channel { Http, Monitor, Chat, Metrics };

// Where one channel stands: connecting, connected, degraded (answers, but not all is well:
// slow, some calls failing), disconnected (with the reason: expired token, 4403, the server
// shutting down, unreachable).
struct ChannelStatus
{
    enum class State { Disconnected, Connecting, Connected, Degraded };
    State state = State::Disconnected;
    QString reason;
    QDateTime since;

    bool operator==(const ChannelStatus &other) const
    {
        return state == other.state && reason == other.reason;
    }
};

QString channelName(Channel channel);          // translated: "HTTP", "Monitor"...
QString stateName(ChannelStatus::State state); // translated: "Connected"...

// The state of every channel, for the status bar and for tests. GUI thread.
class ConnectionStatus : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    void set(Channel channel, ChannelStatus::State state, const QString &reason = {});
    ChannelStatus status(Channel channel) const;

Q_SIGNALS:
    void changed(veza::console::Channel channel, const veza::console::ChannelStatus &status);

private:
    ChannelStatus m_statuses[4];
};

} // namespace veza::console
