#pragma once

#include "net/http/RequestHead.h"

namespace veza::net::http {

// How the body of a request is delimited (RFC 9112 §6): none, or Content-Length bytes.
// Chunked bodies are not supported yet (501), nor any other Transfer-Encoding.
struct BodyFraming
{
    bool ok = true;
    qint64 length = 0;  // when ok: the body's size (0: none)
    int httpStatus = 0; // when not ok: 400 (bad Content-Length), 413 (too large), 501
    QByteArray reason;
};

BodyFraming bodyFraming(const RequestHead &head, qint64 maxBodyBytes);

// Whether the connection stays open after this request: HTTP/1.1 unless "Connection: close",
// HTTP/1.0 only with "Connection: keep-alive".
bool wantsKeepAlive(const RequestHead &head);

// "Expect: 100-continue" (RFC 9110 §10.1.1), honoured by HTTP/1.1 clients only.
bool expectsContinue(const RequestHead &head);

} // namespace veza::net::http
