#include "endpoints/SessionToken.h"

#include <QDateTime>

namespace veza::endpoints {

SessionToken::SessionToken(qint64 openedAtMs)
    : m_deadlineMs(openedAtMs + kAuthWindowMs)
{
}

bool SessionToken::accept(const auth::Claims &claims, qint64 nowMs)
{
    if (m_subject && *m_subject != claims.subject)
        return false;
    m_subject = claims.subject;
    m_expiresAtEpochMs = claims.expiresAt.toMSecsSinceEpoch();
    // The wall clock says when; the monotonic one keeps counting if the wall clock jumps.
    m_deadlineMs = nowMs + (m_expiresAtEpochMs - QDateTime::currentMSecsSinceEpoch());
    return true;
}

QString SessionToken::expired(qint64 nowMs) const
{
    if (nowMs < m_deadlineMs)
        return {};
    return m_subject ? QStringLiteral("token expired")
                     : QStringLiteral("no access token within %1 s").arg(kAuthWindowMs / 1000);
}

} // namespace veza::endpoints
