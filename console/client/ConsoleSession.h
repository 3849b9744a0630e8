#pragma once

#include "ApiClient.h"
#include "ChannelStatus.h"
#include "ChatChannel.h"
#include "ModerationDesk.h"
#include "MonitorChannel.h"
#include "OncallDesk.h"
#include "ServerProfile.h"
#include "StreamHistory.h"
#include "StreamsModel.h"

#include <QObject>
#include <QTimer>

namespace veza::console {

// ConsoleSession: the console's link to one deployment, without widgets: the HTTP API client,
// the /monitor feed, /chat as a moderator, the models they keep current (streams, rooms,
// review queue, audit log) and each channel's state. connectTo() checks the token with an
// authenticated call and opens the feeds; the HTTP channel is then
// watched through /health/ready every 10 s (degraded with the server's reasons when not
// ready). Views show its models and call its actions. GUI thread.
class ConsoleSession : public QObject
{
    Q_OBJECT

public:
    static constexpr int kHealthIntervalMs = 10000;

    explicit ConsoleSession(QObject *parent = nullptr);

    void connectTo(const ServerProfile &profile, const QByteArray &token);
    void disconnectFromServer();
    bool isConnected() const { return m_connected; }

    const ServerProfile &profile() const { return m_api.profile(); }
    ApiClient *api() { return &m_api; }
    ConnectionStatus *status() { return &m_status; }
    MonitorChannel *monitor() { return &m_monitor; }
    ChatChannel *chat() { return &m_chat; }
    ModerationDesk *moderation() { return &m_moderation; }
    OncallDesk *oncall() { return &m_oncall; }
    StreamsModel *streams() { return &m_streams; }
    StreamHistory *history() { return &m_history; }
    // The operator as the server knows them (token `sub`), once the token was checked.
    QString operatorName() const { return m_operator; }

Q_SIGNALS:
    // The token was accepted (or refused: `problem` says why).
    void connected(const QString &problem);

private:
    void checkHealth();

    ConnectionStatus m_status;
    ApiClient m_api;
    MonitorChannel m_monitor;
    ChatChannel m_chat;
    StreamsModel m_streams;
    StreamHistory m_history;
    ModerationDesk m_moderation;
    OncallDesk m_oncall;
    QTimer m_health;
    QString m_operator;
    bool m_connected = false;
};

} // namespace veza::console
