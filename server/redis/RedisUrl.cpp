#include "redis/RedisUrl.h"

#include <QUrl>

namespace veza::redis {

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<RedisUrl> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return fail(QStringLiteral("not a URL"));
    RedisUrl parsed;
    if (url.scheme() == u"rediss")
        parsed.tls = true;
    else if (url.scheme() != u"redis")
        return fail(QStringLiteral("the scheme must be redis:// or rediss://"));
    parsed.host = url.host();
    if (parsed.host.isEmpty())
        return fail(QStringLiteral("no host"));
    const int port = url.port(6379);
    if (port <= 0 || port > 65535)
        return fail(QStringLiteral("bad port"));
    parsed.port = quint16(port);
    const QString path = url.path();
    if (!path.isEmpty() && path != u"/") {
        bool ok = false;
        parsed.database = path.mid(1).toInt(&ok);
        if (!ok || parsed.database < 0 || parsed.database > 1000000)
            return fail(QStringLiteral("the path must be a database number (/0)"));
    }
    parsed.user = url.userName(QUrl::FullyDecoded);
    parsed.password = url.password(QUrl::FullyDecoded);
    if (!parsed.user.isEmpty() && parsed.password.isEmpty())
        return fail(QStringLiteral("a user needs a password (redis://user:password@host)"));
    return parsed;
}

QString RedisUrl::redacted() const
{
    QString text = tls ? QStringLiteral("rediss://") : QStringLiteral("redis://");
    if (!password.isEmpty())
        text += user + QStringLiteral(":***@");
    text += host.contains(u':') ? u'[' + host + u']' : host;
    text += u':' + QString::number(port) + u'/' + QString::number(database);
    return text;
}

} // namespace veza::redis
