#include "storage/DatabaseUrl.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace veza::storage {

namespace {

const QString kExpected = QStringLiteral(
    "expected sqlite:///absolute/path.db, sqlite://relative/path.db, sqlite::memory: or "
    "postgresql://user:password@host:port/database");

std::optional<DatabaseUrl> fail(QString *error, const QString &why)
{
    if (error)
        *error = why + QStringLiteral("; ") + kExpected;
    return std::nullopt;
}

} // namespace

QString DatabaseUrl::backendName() const
{
    return isSqlite() ? QStringLiteral("sqlite") : QStringLiteral("postgresql");
}

QString DatabaseUrl::driverName() const
{
    return isSqlite() ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
}

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return fail(error, QStringLiteral("database URL is empty"));

    DatabaseUrl result;
    if (text == QLatin1String("sqlite::memory:") || text == QLatin1String("sqlite://:memory:")) {
        result.m_backend = Backend::Sqlite;
        result.m_path = QStringLiteral(":memory:");
        return result;
    }

    // SQLite is parsed by hand: in "sqlite://relative/path.db" QUrl would take "relative" for
    // a host name.
    if (text.startsWith(QLatin1String("sqlite://"), Qt::CaseInsensitive)) {
        const QString rest = QUrl::fromPercentEncoding(text.mid(9).toUtf8());
        if (rest.isEmpty() || rest == QLatin1String("/"))
            return fail(error, QStringLiteral("sqlite URL has no file path"));
        if (rest.contains(QLatin1Char('?')))
            return fail(error, QStringLiteral("sqlite URL takes no query options"));
        if (rest.endsWith(QLatin1Char('/')))
            return fail(error, QStringLiteral("sqlite URL names a directory, not a file"));
        result.m_backend = Backend::Sqlite;
        result.m_path = QDir::cleanPath(QDir::current().absoluteFilePath(rest));
        return result;
    }

    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("postgresql") && scheme != QLatin1String("postgres")) {
        if (scheme == QLatin1String("sqlite"))
            return fail(error, QStringLiteral("sqlite URL must start with sqlite://"));
        return fail(error, QStringLiteral("unsupported database URL scheme \"%1\"").arg(scheme));
    }
    if (!url.isValid())
        // QUrl's own message quotes the whole URL, password included: never show it.
        return fail(error, QStringLiteral("malformed postgresql URL (check the host, the port "
                                          "and the percent-encoding of user and password)"));

    result.m_backend = Backend::Postgresql;
    result.m_host = url.host(QUrl::FullyDecoded);
    if (result.m_host.isEmpty())
        return fail(error, QStringLiteral("postgresql URL has no host"));
    result.m_port = url.port(5432);
    if (result.m_port <= 0 || result.m_port > 65535)
        return fail(error, QStringLiteral("postgresql URL has an invalid port"));
    result.m_user = url.userName(QUrl::FullyDecoded);
    result.m_password = url.password(QUrl::FullyDecoded);
    QString path = url.path(QUrl::FullyDecoded);
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (path.isEmpty() || path.contains(QLatin1Char('/')))
        return fail(error, QStringLiteral("postgresql URL must name one database (/dbname)"));
    result.m_database = path;

    // Query items become libpq connect options. Keys and values are restricted so that
    // nothing can break out of QPSQL's "key=value;key=value" option string.
    static const QRegularExpression keyPattern(QStringLiteral("^[a-z_]+$"));
    static const QRegularExpression valuePattern(QStringLiteral("^[A-Za-z0-9_./:@+-]*$"));
    QStringList options;
    const auto items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!keyPattern.match(key).hasMatch() || !valuePattern.match(value).hasMatch())
            return fail(error, QStringLiteral("unsupported connect option \"%1\"").arg(key));
        options << key + QLatin1Char('=') + value;
    }
    result.m_options = options.join(QLatin1Char(';'));
    return result;
}

QString DatabaseUrl::redacted() const
{
    if (isSqlite())
        return isMemory() ? QStringLiteral("sqlite::memory:")
                          : QStringLiteral("sqlite://") + m_path;
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setHost(m_host);
    url.setPort(m_port);
    url.setUserName(m_user);
    if (!m_password.isEmpty())
        url.setPassword(QStringLiteral("***"));
    url.setPath(QLatin1Char('/') + m_database);
    if (!m_options.isEmpty())
        url.setQuery(QString(m_options).replace(QLatin1Char(';'), QLatin1Char('&')));
    return url.toString();
}

} // namespace veza::storage
