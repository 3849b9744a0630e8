#pragma once

#include "ServerProfile.h"

#include <QByteArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrlQuery>
#include <functional>

namespace veza::console {

// What an API call answered: the HTTP status (0: no answer at all), the JSON body, and for a
// refusal the server's reason or the network's error, ready to show.
struct ApiResult
{
    int status = 0;
    QJsonObject body;
    QString error; // empty on success

    bool ok() const { return status >= 200 && status < 300; }
};

// ApiClient: the server's HTTP API with the operator's bearer token, TLS trusting the system
// store plus the profile's CA file. Every call is asynchronous and answers on the GUI thread
// through its callback, unless `context` was destroyed meanwhile. A 401 or a 403 `banned` is
// also reported as unauthorized(), so the connection state can show it. GUI thread.
class ApiClient : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const ApiResult &)>;
    static constexpr int kTimeoutMs = 15000;

    explicit ApiClient(QObject *parent = nullptr);

    // `caProblem` gets why the CA file could not be used (the call goes on without it).
    void configure(const ServerProfile &profile, const QByteArray &token,
                   QString *caProblem = nullptr);
    const ServerProfile &profile() const { return m_profile; }
    const QSslConfiguration &tlsConfiguration() const { return m_tls; }
    QByteArray token() const { return m_token; }

    void get(const QString &path, const QUrlQuery &query, QObject *context, Callback done);
    // POST, PATCH or DELETE with a JSON body (none when empty).
    void send(const QByteArray &method, const QString &path, const QJsonObject &body,
              QObject *context, Callback done);
    // GET of any URL with the same TLS settings (health checks, /metrics), without the token
    // unless `withToken`.
    void fetch(const QUrl &url, bool withToken, QObject *context,
               std::function<void(int status, const QByteArray &body, const QString &error)> done);

Q_SIGNALS:
    void unauthorized(const QString &reason);
    void reachable(bool yes, const QString &reason);

private:
    QNetworkRequest request(const QUrl &url, bool withToken) const;
    void finish(QNetworkReply *reply, QPointer<QObject> context, bool hadContext,
                const Callback &done);

    QNetworkAccessManager m_network;
    ServerProfile m_profile;
    QByteArray m_token;
    QSslConfiguration m_tls;
};

} // namespace veza::console
