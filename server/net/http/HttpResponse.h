#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <utility>

namespace veza::net::http {

// What a handler answers: status, body and extra headers. Content-Length, Connection and Date
// are the connection's business.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType; // empty: no Content-Type (and no body expected)
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    bool closeConnection = false; // end the connection after this answer (e.g. a refused upload)

    static HttpResponse json(int status, const QJsonObject &body);
    // {"error":"<slug of the status>","reason":"<reason>"}
    static HttpResponse error(int status, QByteArrayView reason);
};

// The bytes on the wire. `keepAlive` chooses the Connection header (close, or keep-alive for an
// HTTP/1.0 client that asked for it); `headOnly` (HEAD) keeps Content-Length but drops the body.
// 1xx and 204 answers carry neither Content-Length nor a body.
QByteArray serialize(const HttpResponse &response, bool keepAlive, bool headOnly,
                     int requestMinorVersion = 1);

} // namespace veza::net::http
