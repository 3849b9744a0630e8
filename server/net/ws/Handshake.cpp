// The client's side of the handshake: the HTTP/1.1 upgrade request (RFC 6455 §4.2.1), read by
// the generic request-head parser (net/http/RequestHead.h) and checked for the upgrade.
#include "net/ws/Handshake.h"

#include "net/http/HttpText.h"

#include <optional>

namespace veza::net::ws {

namespace {

using namespace http;

constexpr qsizetype kKeyBase64Size = 24; // base64 of 16 bytes, padding included
constexpr qsizetype kKeyBytes = 16;

HandshakeParse invalid(int status, const char *reason, qsizetype consumed = 0)
{
    return {HandshakeStatus::Invalid, consumed, status, QByteArray(reason)};
}

// An upgrade is HTTP/1.1 and GET only; refused as soon as the request line is complete.
HandshakeParse checkRequestLine(QByteArrayView method, QByteArrayView version)
{
    if (version != "HTTP/1.1")
        return invalid(505, "http_version_not_supported");
    if (method != "GET")
        return invalid(405, "method_not_allowed");
    return {};
}

bool isValidKey(const QByteArray &key)
{
    if (key.size() != kKeyBase64Size)
        return false;
    const auto decoded =
        QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    return decoded.decodingStatus == QByteArray::Base64DecodingStatus::Ok &&
           decoded.decoded.size() == kKeyBytes;
}

// Fills the named fields from the headers and applies RFC 6455 §4.2.1.
std::optional<HandshakeParse> checkUpgradeHeaders(UpgradeRequest &request, qsizetype consumed)
{
    request.host = request.header("Host");
    request.upgrade = request.header("Upgrade");
    request.connection = request.header("Connection");
    request.key = request.header("Sec-WebSocket-Key");
    request.version = request.header("Sec-WebSocket-Version");
    request.origin = request.header("Origin");
    request.authorization = request.header("Authorization");
    request.userAgent = request.header("User-Agent");
    anyListItem(request.header("Sec-WebSocket-Protocol"), [&](QByteArrayView item) {
        request.protocols.append(item.toByteArray());
        return false;
    });

    if (!containsToken(request.upgrade, "websocket"))
        return invalid(426, "upgrade_websocket_required", consumed);
    if (!containsToken(request.connection, "upgrade"))
        return invalid(426, "connection_upgrade_required", consumed);
    if (!isValidKey(request.key))
        return invalid(400, "invalid_websocket_key", consumed);
    if (request.version != "13")
        return invalid(426, "unsupported_websocket_version", consumed);
    return std::nullopt;
}

} // namespace

HandshakeParse parseUpgradeRequest(QByteArrayView buffer, UpgradeRequest *out,
                                   qsizetype maxHeadBytes)
{
    UpgradeRequest local;
    UpgradeRequest &request = out ? *out : local;
    request = UpgradeRequest();
    const HandshakeParse head = parseRequestHead(buffer, &request, maxHeadBytes, checkRequestLine);
    if (head.status != HandshakeStatus::Complete)
        return head;
    if (auto error = checkUpgradeHeaders(request, head.consumed))
        return *error;
    return head;
}

} // namespace veza::net::ws
