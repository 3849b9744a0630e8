// The opening handshake (RFC 6455 §4.2): parsing the client's HTTP/1.1 upgrade request and
// writing the server's answer, 101 Switching Protocols or an HTTP error with a JSON body.
#pragma once

#include "net/http/RequestHead.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace veza::net::ws {

struct UpgradeRequest : http::RequestHead
{
    QByteArray host, upgrade, connection, key, version, origin, authorization, userAgent;
    QList<QByteArray> protocols; // Sec-WebSocket-Protocol, comma-split, trimmed
};

using HandshakeStatus = http::ParseStatus;
using HandshakeParse = http::HeadParse;

constexpr qsizetype kMaxUpgradeHeadBytes = 8192;

// Parses the HTTP/1.1 upgrade request at the start of `buffer` (the bytes received so far).
// The generic head parser (net/http/RequestHead.h) with the upgrade's own rules on top.
// Incomplete until "\r\n\r\n" (but a malformed request line fails as soon as it is complete);
// Invalid with 431 once the head exceeds maxHeadBytes without ending; 400 for a malformed
// request line or header, a missing or repeated Host, or a path with bad percent-encoding;
// 505 for a version other than HTTP/1.1; 405 for a method other than GET; 426 when
// "Upgrade: websocket" or "Connection: upgrade" is missing; 400 when Sec-WebSocket-Key is not
// the base64 of 16 bytes; 426 when Sec-WebSocket-Version is not 13. `out` may be null.
HandshakeParse parseUpgradeRequest(QByteArrayView buffer, UpgradeRequest *out,
                                   qsizetype maxHeadBytes = kMaxUpgradeHeadBytes);

// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), RFC 6455 §4.2.2.
QByteArray acceptKey(QByteArrayView secWebSocketKey);

// "HTTP/1.1 101 Switching Protocols" with the accept key; Sec-WebSocket-Protocol only when
// `protocol` is not empty.
QByteArray switchingProtocolsResponse(const UpgradeRequest &request, QByteArrayView protocol);

// An HTTP error answering a failed handshake: JSON body {"error":"<slug of the status>",
// "reason":"<reason>"}, Content-Length, Connection: close. 426 adds Upgrade: websocket and
// Sec-WebSocket-Version: 13, 405 adds Allow: GET. `extraHeaders` are whole header lines
// ("Retry-After: 5\r\n"; a missing final CRLF is added).
QByteArray httpErrorResponse(int status, QByteArrayView reason, QByteArrayView extraHeaders = {});

} // namespace veza::net::ws
