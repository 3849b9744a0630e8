#include "RunbookValues.h"

#include "RunbookPlaceholders.h"
#include "ServerProfile.h"

#include <QSettings>

namespace veza::console {

namespace {

// Typed values, per server: runbookValues/<server key>/<name>.
QString settingsGroup(const QString &serverKey)
{
    return QStringLiteral("runbookValues/") +
           QString::fromLatin1(serverKey.toUtf8().toPercentEncoding());
}

} // namespace

RunbookValues::RunbookValues(QObject *parent)
    : QObject(parent)
{
}

void RunbookValues::setServer(const ServerProfile &profile)
{
    m_serverKey = profile.key();
    const QString stream = m_known.value(QStringLiteral("stream"));
    m_known.clear();
    const QUrl http = profile.baseUrl;
    m_known.insert(QStringLiteral("host"), http.host());
    m_known.insert(QStringLiteral("port"),
                   QString::number(http.port(http.scheme() == u"https" ? 443 : 80)));
    const QUrl ws = profile.webSocketUrl(QStringLiteral("/"));
    m_known.insert(QStringLiteral("ws_port"),
                   QString::number(ws.port(ws.scheme() == u"wss" ? 443 : 80)));
    const QUrl metrics = profile.metricsUrl();
    m_known.insert(QStringLiteral("metrics_port"),
                   QString::number(metrics.port(metrics.scheme() == u"https" ? 443 : 80)));
    if (!stream.isEmpty())
        m_known.insert(QStringLiteral("stream"), stream);

    m_typed.clear();
    QSettings settings;
    settings.beginGroup(settingsGroup(m_serverKey));
    for (const QString &name : settings.childKeys())
        m_typed.insert(name, settings.value(name).toString());
    Q_EMIT changed();
}

void RunbookValues::setStream(const QString &stream)
{
    if (m_known.value(QStringLiteral("stream")) == stream)
        return;
    if (stream.isEmpty())
        m_known.remove(QStringLiteral("stream"));
    else
        m_known.insert(QStringLiteral("stream"), stream);
    Q_EMIT changed();
}

QString RunbookValues::value(const QString &name) const
{
    return m_typed.value(name, m_known.value(name));
}

bool RunbookValues::isFromConnection(const QString &name) const
{
    return !m_typed.contains(name) && m_known.contains(name);
}

void RunbookValues::setTyped(const QString &name, const QString &value)
{
    const QString trimmed = value.trimmed();
    if (m_typed.value(name) == trimmed && (m_typed.contains(name) || trimmed.isEmpty()))
        return;
    QSettings settings;
    settings.beginGroup(settingsGroup(m_serverKey));
    if (trimmed.isEmpty()) {
        m_typed.remove(name);
        settings.remove(name);
    } else {
        m_typed.insert(name, trimmed);
        settings.setValue(name, trimmed);
    }
    Q_EMIT changed();
}

QHash<QString, QString> RunbookValues::values() const
{
    QHash<QString, QString> all = m_known;
    for (auto it = m_typed.cbegin(); it != m_typed.cend(); ++it)
        all.insert(it.key(), it.value());
    return all;
}

QString RunbookValues::fill(const QString &command) const
{
    return RunbookPlaceholders::fill(command, values());
}

} // namespace veza::console
