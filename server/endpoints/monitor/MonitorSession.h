#pragma once

#include "endpoints/SessionToken.h"
#include "net/WebSocketSession.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QString>
#include <memory>

class QTimer;

namespace veza::net::ws {
struct UpgradeRequest;
} // namespace veza::net::ws

namespace veza::net {
class WebSocketConnection;
}

namespace veza::endpoints {

struct StreamSocketEndpoint;

// The console's live event feed on `/monitor`, for moderators and admins: a snapshot of the
// live streams once authorised, then every second (the gateway's tick) the events found by
// comparing with the previous second (a stream started or stopped, its listener count changed)
// followed by a `stats` frame with every live stream's figures and audio levels and the chat's
// figures. Events that happen (moderation actions, reports, sources connecting and dropping,
// refusals at a limit) come from the MonitorFeed within 100 ms, and a client may subscribe to
// one stream's levels ten times a second. The token comes with the upgrade request or as a
// first `auth` frame within 10 s. A reader that falls 256 KiB behind is closed with 1013.
// Owned by its WebSocketConnection; network thread.
class MonitorSession final : public net::WebSocketSession
{
public:
    static constexpr qsizetype kMaxBacklogBytes = 256 * 1024;
    static constexpr quint16 kCloseUnauthorized = 4401;
    static constexpr quint16 kCloseForbidden = 4403;

    static constexpr int kFastTickMs = 100; // events and level frames

    MonitorSession(net::WebSocketConnection &connection, const StreamSocketEndpoint &endpoint,
                   const net::ws::UpgradeRequest &request);
    ~MonitorSession() override;

private:
    // What the previous tick saw of a stream.
    struct Seen
    {
        qint64 startedAtMs = 0;
        int listeners = 0;
    };

    void onText(QByteArrayView payload) override;
    void onBinary(QByteArrayView payload) override;
    void onTick(qint64 nowMs) override;

    void authenticate(QByteArrayView token);
    void refresh(QByteArrayView token);
    // Every kFastTickMs once authorised: the feed's new events, the subscribed levels.
    void fastTick();
    void subscribeLevels(const QString &stream);
    // The live streams as the API shows them; `seen` gets what the next tick compares with.
    QJsonArray liveStreams(QHash<QString, Seen> &seen) const;
    void send(const QByteArray &frame);
    void refuse(quint16 code, const QString &why);
    void close(quint16 code, const QString &reason);

    net::WebSocketConnection &m_connection;
    const StreamSocketEndpoint &m_endpoint;
    QHash<QString, Seen> m_previous;
    SessionToken m_token; // 10 s to authenticate, then the token's expiry
    bool m_authorised = false;
    bool m_closing = false;
    std::unique_ptr<QTimer> m_fastTimer;
    qint64 m_feedSeq = 0;   // the last feed event sent
    QString m_levelsStream; // empty: no level subscription
};

} // namespace veza::endpoints
