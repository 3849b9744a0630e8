#pragma once

#include "auth/JwtClaims.h"
#include "protocol/ErrorCode.h"

#include <QString>
#include <optional>

namespace veza::net {
class KeyedConnectionLimiter;
}

namespace veza::endpoints {

// A WebSocket session's access token over time. Until one is accepted, the session has 10 s
// to present it; then the token's own expiry is the session's, unless a fresh `auth` frame
// (same user) pushes it back. A session asks once a second (onTick) and closes with 4401 when
// told why. The first accepted token also takes one of its user's places
// (MAX_CONNECTIONS_PER_USER), given back when the session ends. Network thread of its session;
// monotonic milliseconds (MonotonicClock.h).
class SessionToken
{
public:
    static constexpr qint64 kAuthWindowMs = 10000;
    // The close code of a session over MAX_CONNECTIONS_PER_USER (as HTTP's 429).
    static constexpr quint16 kCloseTooManySessions = 4429;

    enum class Acceptance : quint8 {
        Accepted,
        OtherUser,      // a fresh token of another user: nothing changes
        TooManySessions // the user holds MAX_CONNECTIONS_PER_USER sessions already
    };

    // `perUser`: the sessions each user holds, across threads (keyed by `sub`); none: no cap.
    explicit SessionToken(qint64 openedAtMs, net::KeyedConnectionLimiter *perUser = nullptr);
    ~SessionToken();
    SessionToken(const SessionToken &) = delete;
    SessionToken &operator=(const SessionToken &) = delete;

    bool authenticated() const { return m_subject.has_value(); }
    // The user (token `sub`), once a token was accepted.
    QString subject() const { return m_subject.value_or(QString()); }
    // The first token of the session, or a fresh one of the same user.
    Acceptance accept(const auth::Claims &claims, qint64 nowMs);
    // Why the session is refused, for its error frame and close reason.
    QString tooManySessions() const;
    // Empty while the session may go on; otherwise why it must close with 4401.
    QString expired(qint64 nowMs) const;
    // When the accepted token expires, ms since the epoch (0 before one is accepted).
    qint64 expiresAtMs() const { return m_expiresAtEpochMs; }

private:
    qint64 m_deadlineMs; // monotonic: the auth window, then the token's expiry
    qint64 m_expiresAtEpochMs = 0;
    std::optional<QString> m_subject;
    net::KeyedConnectionLimiter *m_perUser;
};

// The error code of the frame that goes before a session's refusal: 4403 forbidden, 4429
// rate_limited, otherwise (4401) unauthorized.
protocol::ErrorCode errorCodeOfRefusal(quint16 closeCode);

} // namespace veza::endpoints
