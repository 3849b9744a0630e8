#include "endpoints/SessionToken.h"

#include "net/KeyedConnectionLimiter.h"

#include <QDateTime>

namespace veza::endpoints {

SessionToken::SessionToken(qint64 openedAtMs, net::KeyedConnectionLimiter *perUser)
    : m_deadlineMs(openedAtMs + kAuthWindowMs)
    , m_perUser(perUser)
{
}

SessionToken::~SessionToken()
{
    if (m_subject && m_perUser)
        m_perUser->release(*m_subject);
}

SessionToken::Acceptance SessionToken::accept(const auth::Claims &claims, qint64 nowMs)
{
    if (m_subject && *m_subject != claims.subject)
        return Acceptance::OtherUser;
    if (!m_subject && m_perUser && !m_perUser->tryAcquire(claims.subject))
        return Acceptance::TooManySessions;
    m_subject = claims.subject;
    m_expiresAtEpochMs = claims.expiresAt.toMSecsSinceEpoch();
    // The wall clock says when; the monotonic one keeps counting if the wall clock jumps.
    m_deadlineMs = nowMs + (m_expiresAtEpochMs - QDateTime::currentMSecsSinceEpoch());
    return Acceptance::Accepted;
}

QString SessionToken::tooManySessions() const
{
    return QStringLiteral("too many connections for this user (at most %1 at once)")
        .arg(m_perUser ? m_perUser->limit() : 0);
}

QString SessionToken::expired(qint64 nowMs) const
{
    if (nowMs < m_deadlineMs)
        return {};
    return m_subject ? QStringLiteral("token expired")
                     : QStringLiteral("no access token within %1 s").arg(kAuthWindowMs / 1000);
}

protocol::ErrorCode errorCodeOfRefusal(quint16 closeCode)
{
    switch (closeCode) {
    case 4403:
        return protocol::ErrorCode::Forbidden;
    case SessionToken::kCloseTooManySessions:
        return protocol::ErrorCode::RateLimited;
    default:
        return protocol::ErrorCode::Unauthorized;
    }
}

} // namespace veza::endpoints
