// The head of an HTTP/1.x request (RFC 9112 §2-5): request line and header fields, parsed from
// the bytes received so far. Shared by the HTTP server and the WebSocket opening handshake.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <utility>

namespace veza::net::http {

struct RequestHead
{
    QByteArray method;    // a token, any method ("GET", "SOURCE", ...)
    QByteArray target;    // raw request-target
    QByteArray path;      // percent-decoded path
    QByteArray query;     // raw query, without '?'
    int minorVersion = 1; // HTTP/1.<minorVersion>
    bool ice = false;     // "SOURCE /mount ICE/1.0" (legacy Icecast sources): treated as HTTP/1.0
    // Every header in arrival order: names as sent, values trimmed, folded lines joined.
    QList<std::pair<QByteArray, QByteArray>> headers;

    // A header's value, names compared case-insensitively; repeated headers are joined with
    // ", " (RFC 9110 §5.3). Null when absent.
    QByteArray header(QByteArrayView name) const;
    int headerCount(QByteArrayView name) const;
    // The value of the first query parameter `name`, decoded as browsers and encoders send it
    // (application/x-www-form-urlencoded: '+' and %20 are spaces, %XX bytes, so UTF-8 arrives
    // as UTF-8). Null when absent, empty (not null) for "?name" or "?name=".
    QByteArray queryItem(QByteArrayView name) const;
};

enum class ParseStatus { Incomplete, Complete, Invalid };

struct HeadParse
{
    ParseStatus status = ParseStatus::Incomplete;
    qsizetype consumed = 0; // bytes of the request head, "\r\n\r\n" included (when known)
    int httpStatus = 0;     // when Invalid: the status to answer with
    QByteArray reason;      // when Invalid: a short snake_case reason for the error body
};

// A stricter caller's check of the request line (method, version), run as soon as the line is
// complete and before the generic checks of version and target: returns Invalid to refuse.
using RequestLineCheck = HeadParse (*)(QByteArrayView method, QByteArrayView version);

// Parses the request head at the start of `buffer`. Incomplete until "\r\n\r\n" (but a
// malformed request line fails as soon as it is complete); Invalid with 431 once the head
// exceeds maxHeadBytes without ending; 400 for a malformed request line or header, a target
// that is not in origin form or has bad percent-encoding, a missing (HTTP/1.1) or repeated
// Host; 505 for a version other than HTTP/1.0 and HTTP/1.1 (and ICE/1.0, accepted for the
// SOURCE method only, as HTTP/1.0 with `ice` set). `out` may be null.
HeadParse parseRequestHead(QByteArrayView buffer, RequestHead *out, qsizetype maxHeadBytes,
                           RequestLineCheck check = nullptr);

// Decodes %XX escapes; a '%' not followed by two hex digits is kept as is.
QByteArray percentDecode(QByteArrayView text);
// percentDecode, and '+' is a space (a query string, application/x-www-form-urlencoded).
QByteArray formDecode(QByteArrayView text);

} // namespace veza::net::http
