#include "ApiClient.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSslCertificate>

namespace veza::console {

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
    , m_tls(QSslConfiguration::defaultConfiguration())
{
}

void ApiClient::configure(const ServerProfile &profile, const QByteArray &token, QString *caProblem)
{
    m_profile = profile;
    m_token = token;
    m_tls = QSslConfiguration::defaultConfiguration();
    if (profile.caFile.isEmpty())
        return;
    const QList<QSslCertificate> extra = QSslCertificate::fromPath(
        profile.caFile, QSsl::Pem, QSslCertificate::PatternSyntax::FixedString);
    if (extra.isEmpty()) {
        if (caProblem)
            *caProblem =
                QCoreApplication::translate("ApiClient", "No certificate could be read from %1")
                    .arg(profile.caFile);
        return;
    }
    m_tls.addCaCertificates(extra);
}

QNetworkRequest ApiClient::request(const QUrl &url, bool withToken) const
{
    QNetworkRequest request(url);
    request.setSslConfiguration(m_tls);
    request.setTransferTimeout(kTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    if (withToken && !m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    return request;
}

void ApiClient::get(const QString &path, const QUrlQuery &query, QObject *context, Callback done)
{
    QUrl url = m_profile.httpUrl(path);
    url.setQuery(query);
    QNetworkReply *reply = m_network.get(request(url, true));
    finish(reply, context, context != nullptr, done);
}

void ApiClient::send(const QByteArray &method, const QString &path, const QJsonObject &body,
                     QObject *context, Callback done)
{
    QNetworkRequest call = request(m_profile.httpUrl(path), true);
    QByteArray payload;
    if (!body.isEmpty()) {
        payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
        call.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    }
    QNetworkReply *reply = m_network.sendCustomRequest(call, method, payload);
    finish(reply, context, context != nullptr, done);
}

void ApiClient::fetch(const QUrl &url, bool withToken, QObject *context,
                      std::function<void(int, const QByteArray &, const QString &)> done)
{
    QNetworkReply *reply = m_network.get(request(url, withToken));
    QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    connect(reply, &QNetworkReply::finished, this, [reply, guard, hadContext, done] {
        reply->deleteLater();
        if (hadContext && !guard)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const bool answered = status > 0;
        done(status, reply->readAll(), answered ? QString() : reply->errorString());
    });
}

void ApiClient::finish(QNetworkReply *reply, QPointer<QObject> context, bool hadContext,
                       const Callback &done)
{
    connect(reply, &QNetworkReply::finished, this, [this, reply, context, hadContext, done] {
        reply->deleteLater();
        ApiResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = QJsonDocument::fromJson(reply->readAll()).object();
        if (result.status == 0) {
            result.error = reply->errorString();
            Q_EMIT reachable(false, result.error);
        } else {
            Q_EMIT reachable(true, {});
        }
        if (result.status >= 400) {
            const QString reason = result.body.value(u"reason").toString();
            result.error = reason.isEmpty() ? result.body.value(u"error").toString() : reason;
            if (result.error.isEmpty())
                result.error =
                    QCoreApplication::translate("ApiClient", "HTTP status %1").arg(result.status);
        }
        if (result.status == 401 ||
            (result.status == 403 && result.body.value(u"error").toString() == u"banned"))
            Q_EMIT unauthorized(result.error);
        if (hadContext && !context)
            return;
        if (done)
            done(result);
    });
}

} // namespace veza::console
