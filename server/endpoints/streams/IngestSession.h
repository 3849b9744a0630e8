#pragma once

#include "endpoints/SessionToken.h"
#include "endpoints/streams/LiveSource.h"
#include "net/WebSocketSession.h"

#include <QByteArray>
#include <QFutureWatcher>
#include <QJsonValue>
#include <QString>
#include <memory>
#include <optional>

namespace veza::streaming {
class LiveStream;
}

namespace veza::net::ws {
struct UpgradeRequest;
} // namespace veza::net::ws

namespace veza::net {
class WebSocketConnection;
}

namespace veza::endpoints {

struct StreamSocketEndpoint;

// A broadcaster on `/ingest/{name}` (a browser's MediaRecorder, the console): the WebSocket
// twin of an Icecast source. Its credentials (the stream key, or an access token of the
// stream's owner or of an admin) are checked on the database pool; until then its binary frames
// are buffered. Once live, every binary frame's payload is published to the mount and pushed
// into the audio pipeline exactly as SourceSession does; a source ahead of its audio is paced
// (frames not read), one whose audio is unusable is closed with 1007, one silent for 30 s with
// 1001. Leaving starts the stream's grace period. Owned by its WebSocketConnection; network
// thread.
class IngestSession final : public net::WebSocketSession
{
public:
    static constexpr qsizetype kMaxBufferedBytes = 256 * 1024; // before the credentials are known

    static constexpr quint16 kCloseUnauthorized = 4401;
    static constexpr quint16 kCloseForbidden = 4403;
    static constexpr quint16 kCloseNotFound = 4404;
    static constexpr quint16 kCloseMountInUse = 4409;

    IngestSession(net::WebSocketConnection &connection, const StreamSocketEndpoint &endpoint,
                  QString name, const net::ws::UpgradeRequest &request);
    ~IngestSession() override;

private:
    // What the storage pool found for the stream's name (defined in the .cpp).
    struct Lookup;
    enum class State : quint8 { Checking, Live, Closed };

    void onText(QByteArrayView payload) override;
    void onBinary(QByteArrayView payload) override;
    void onTick(qint64 nowMs) override;

    void admit(const net::ws::UpgradeRequest &request);
    void lookUpStream();
    void checked(const Lookup &lookup);
    void goLive(const Lookup &lookup);
    void mountInUse(); // here, or on another instance of the deployment
    void publish(QByteArrayView bytes);
    void keyRotated(); // closes a key-authenticated source whose key was replaced
    void refresh(QByteArrayView token, const QJsonValue &requestId);
    void setTitle(const QByteArray &title);
    void sendError(const QString &message);
    // Closes with `code` (the reason in words a person understands) and leaves the mount.
    void end(quint16 code, const QString &reason);
    void leave();

    net::WebSocketConnection &m_connection;
    const StreamSocketEndpoint &m_endpoint;
    const QString m_name;
    const QString m_peer;
    QByteArray m_contentType;            // audio/ogg or audio/webm
    QByteArray m_key;                    // a stream key, or ...
    QString m_subject;                   // ... the subject of a verified access token
    std::optional<SessionToken> m_token; // with an access token: its expiry, the user's place
    bool m_admin = false;
    State m_state = State::Checking;
    QByteArray m_buffered;              // binary payloads received while Checking
    std::optional<QByteArray> m_title;  // a title set while Checking
    std::optional<LiveSource> m_source; // set while Live
    // The database's answer arrives as an event for this object: destroyed with the session,
    // it can never call back into a session that is gone.
    std::unique_ptr<QFutureWatcher<Lookup>> m_lookup;
};

} // namespace veza::endpoints
