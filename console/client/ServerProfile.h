#pragma once

#include <QString>
#include <QUrl>

namespace veza::console {

// Where one deployment answers and how to trust it: the server's base URL (its HTTP API), the
// WebSocket and metrics URLs derived from it unless overridden, an optional CA file added to
// the system trust store, and an optional Prometheus server. The token is not part of it: it
// lives in the system keychain (TokenStore). Plain value; any thread.
struct ServerProfile
{
    QUrl baseUrl;           // http(s)://host:PORT
    QUrl webSocketOverride; // empty: ws(s)://host:PORT+1 (WS_PORT's default next to PORT),
                            // or the same address when the base URL has no port
    QUrl metricsOverride;   // empty: http://host:9090/metrics (PROMETHEUS_PORT's default)
    QString caFile;         // PEM; empty: the system trust store only
    QUrl prometheusUrl;     // empty: figures from the server's own /metrics

    QUrl httpUrl(const QString &path) const;
    QUrl webSocketUrl(const QString &path) const;
    QUrl metricsUrl() const;
    // The key recent servers and keychain entries are stored under: scheme://host:port.
    QString key() const;

    // Empty when usable, else why not (for the connect dialog).
    QString problem() const;

    // "https://veza.example.org" -> with the scheme's port; a bare host gets http://.
    static QUrl normalizedBaseUrl(const QString &text);
};

} // namespace veza::console
