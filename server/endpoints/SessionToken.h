#pragma once

#include "auth/JwtClaims.h"

#include <QString>
#include <optional>

namespace veza::endpoints {

// A WebSocket session's access token over time. Until one is accepted, the session has 10 s
// to present it; then the token's own expiry is the session's, unless a fresh `auth` frame
// (same user) pushes it back. A session asks once a second (onTick) and closes with 4401 when
// told why. Network thread of its session; monotonic milliseconds (MonotonicClock.h).
class SessionToken
{
public:
    static constexpr qint64 kAuthWindowMs = 10000;

    explicit SessionToken(qint64 openedAtMs);

    bool authenticated() const { return m_subject.has_value(); }
    // The first token of the session, or a fresh one of the same user. False (nothing changes)
    // for another user's token.
    bool accept(const auth::Claims &claims, qint64 nowMs);
    // Empty while the session may go on; otherwise why it must close with 4401.
    QString expired(qint64 nowMs) const;
    // When the accepted token expires, ms since the epoch (0 before one is accepted).
    qint64 expiresAtMs() const { return m_expiresAtEpochMs; }

private:
    qint64 m_deadlineMs; // monotonic: the auth window, then the token's expiry
    qint64 m_expiresAtEpochMs = 0;
    std::optional<QString> m_subject;
};

} // namespace veza::endpoints
