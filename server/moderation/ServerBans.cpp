#include "moderation/ServerBans.h"

#include <QDateTime>

namespace veza::moderation {

std::optional<ServerBans::Ban> ServerBans::find(const QString &subject, qint64 nowMs) const
{
    QReadLocker lock(&m_lock);
    const auto it = m_bans.constFind(subject);
    if (it == m_bans.cend() || (it->untilMs && *it->untilMs <= nowMs))
        return std::nullopt;
    return *it;
}

QString ServerBans::reasonFor(const QString &subject, qint64 nowMs) const
{
    const std::optional<Ban> ban = find(subject, nowMs);
    return ban ? describe(*ban) : QString();
}

void ServerBans::set(const QString &subject, Ban ban)
{
    QWriteLocker lock(&m_lock);
    m_bans.insert(subject, ban);
}

void ServerBans::lift(const QString &subject)
{
    QWriteLocker lock(&m_lock);
    m_bans.remove(subject);
}

void ServerBans::replaceAll(QHash<QString, Ban> bans)
{
    QWriteLocker lock(&m_lock);
    m_bans = std::move(bans);
}

QString ServerBans::describe(const Ban &ban)
{
    if (!ban.untilMs)
        return QStringLiteral("banned");
    return QStringLiteral("banned until %1")
        .arg(QDateTime::fromMSecsSinceEpoch(*ban.untilMs, Qt::UTC).toString(Qt::ISODate));
}

} // namespace veza::moderation
