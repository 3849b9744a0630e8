#include "ServerProfile.h"

#include <QCoreApplication>

namespace veza::console {
namespace {

constexpr int kDefaultHttpPort = 8080;
constexpr int kDefaultMetricsPort = 9090;

bool secure(const QUrl &url)
{
    return url.scheme() == QLatin1StringView("https");
}

QUrl withPath(QUrl url, const QString &path)
{
    url.setPath(path);
    url.setQuery(QString());
    return url;
}

} // namespace

QUrl ServerProfile::httpUrl(const QString &path) const
{
    return withPath(baseUrl, path);
}

QUrl ServerProfile::webSocketUrl(const QString &path) const
{
    if (webSocketOverride.isValid() && !webSocketOverride.isEmpty())
        return withPath(webSocketOverride, path);
    QUrl url = baseUrl;
    url.setScheme(secure(baseUrl) ? QStringLiteral("wss") : QStringLiteral("ws"));
    // An explicit port is the server's own PORT, WS_PORT next to it; none means a load
    // balancer that routes /chat and /monitor on the same address.
    if (baseUrl.port() > 0)
        url.setPort(baseUrl.port() + 1);
    return withPath(url, path);
}

QUrl ServerProfile::metricsUrl() const
{
    if (metricsOverride.isValid() && !metricsOverride.isEmpty())
        return metricsOverride;
    QUrl url = baseUrl;
    url.setScheme(QStringLiteral("http")); // the metrics port speaks plain HTTP
    url.setPort(kDefaultMetricsPort);
    return withPath(url, QStringLiteral("/metrics"));
}

QString ServerProfile::key() const
{
    return baseUrl.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveUserInfo |
                            QUrl::StripTrailingSlash);
}

QString ServerProfile::problem() const
{
    if (!baseUrl.isValid() || baseUrl.host().isEmpty())
        return QCoreApplication::translate(
            "ServerProfile", "Enter the server's address, for example http://127.0.0.1:8080");
    if (baseUrl.scheme() != QLatin1StringView("http") &&
        baseUrl.scheme() != QLatin1StringView("https"))
        return QCoreApplication::translate("ServerProfile",
                                           "The server's address starts with http:// or https://");
    for (const QUrl &url : {webSocketOverride, metricsOverride, prometheusUrl}) {
        if (!url.isEmpty() && (!url.isValid() || url.host().isEmpty()))
            return QCoreApplication::translate("ServerProfile",
                                               "An overriding address is not a valid URL: %1")
                .arg(url.toString());
    }
    if (!webSocketOverride.isEmpty() && webSocketOverride.scheme() != QLatin1StringView("ws") &&
        webSocketOverride.scheme() != QLatin1StringView("wss"))
        return QCoreApplication::translate("ServerProfile",
                                           "The WebSocket address starts with ws:// or wss://");
    return {};
}

QUrl ServerProfile::normalizedBaseUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    QUrl url = QUrl::fromUserInput(trimmed);
    if (!trimmed.contains(QLatin1StringView("://")))
        url.setScheme(QStringLiteral("http"));
    if (url.port() < 0 && url.scheme() == QLatin1StringView("http") &&
        !trimmed.contains(QLatin1StringView("://")))
        url.setPort(kDefaultHttpPort);
    url.setPath(QString());
    return url;
}

} // namespace veza::console
