#include "net/http/HttpResponse.h"

#include "net/http/StatusText.h"

#include <QJsonDocument>

namespace veza::net::http {

HttpResponse HttpResponse::json(int status, const QJsonObject &body)
{
    return {status,
            QByteArrayLiteral("application/json"),
            QJsonDocument(body).toJson(QJsonDocument::Compact),
            {}};
}

HttpResponse HttpResponse::error(int status, QByteArrayView reason)
{
    return json(status, {{QStringLiteral("error"), QString::fromUtf8(statusText(status).slug)},
                         {QStringLiteral("reason"), QString::fromUtf8(reason)}});
}

QByteArray serialize(const HttpResponse &response, bool keepAlive, bool headOnly,
                     int requestMinorVersion)
{
    QByteArray out;
    out.reserve(160 + response.body.size());
    out.append("HTTP/1.1 ");
    out.append(QByteArray::number(response.status));
    out.append(' ');
    out.append(statusText(response.status).phrase);
    out.append("\r\n");
    if (!response.contentType.isEmpty()) {
        out.append("Content-Type: ");
        out.append(response.contentType);
        out.append("\r\n");
    }
    for (const auto &[name, value] : response.headers) {
        out.append(name);
        out.append(": ");
        out.append(value);
        out.append("\r\n");
    }
    // RFC 9110 §8.6: no Content-Length on 1xx and 204 answers, which never have a body.
    const bool bodiless = response.status == 204 || response.status < 200;
    if (!bodiless) {
        out.append("Content-Length: ");
        out.append(QByteArray::number(response.body.size()));
        out.append("\r\n");
    }
    if (!keepAlive)
        out.append("Connection: close\r\n");
    else if (requestMinorVersion == 0)
        out.append("Connection: keep-alive\r\n");
    out.append("\r\n");
    if (!headOnly && !bodiless)
        out.append(response.body);
    return out;
}

} // namespace veza::net::http
