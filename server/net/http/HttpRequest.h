#pragma once

#include "net/http/RequestHead.h"

#include <QString>

namespace veza::net::http {

// A complete request as a handler sees it.
struct HttpRequest
{
    RequestHead head;
    QByteArray body;
    QString peerAddress;

    const QByteArray &method() const { return head.method; }
    const QByteArray &path() const { return head.path; }
    QByteArray header(QByteArrayView name) const { return head.header(name); }
    QByteArray queryItem(QByteArrayView name) const { return head.queryItem(name); }
};

} // namespace veza::net::http
