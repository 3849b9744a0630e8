// The server's side of the handshake: the accept key, 101 Switching Protocols, and the HTTP
// errors that answer a refused upgrade.
#include "net/http/HttpText.h"
#include "net/http/StatusText.h"
#include "net/ws/Handshake.h"

#include <QCryptographicHash>

namespace veza::net::ws {

namespace {

constexpr QByteArrayView kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 §1.3

// Whether `lines` ("Name: value\r\n"...) has a header called `name`.
bool hasHeaderLine(QByteArrayView lines, QByteArrayView name)
{
    qsizetype start = 0;
    while (start < lines.size()) {
        qsizetype end = lines.indexOf("\r\n", start);
        if (end < 0)
            end = lines.size();
        const QByteArrayView line = lines.sliced(start, end - start);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && http::equalsIgnoringCase(http::trimOws(line.first(colon)), name))
            return true;
        start = end + 2;
    }
    return false;
}

void appendJsonString(QByteArray &out, QByteArrayView text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (quint8(c) < 0x20) {
            out += "\\u00";
            out += hex[quint8(c) >> 4];
            out += hex[quint8(c) & 0xF];
        } else {
            out += c;
        }
    }
    out += '"';
}

} // namespace

QByteArray acceptKey(QByteArrayView secWebSocketKey)
{
    QByteArray input;
    input.reserve(secWebSocketKey.size() + kAcceptGuid.size());
    input.append(secWebSocketKey);
    input.append(kAcceptGuid);
    return QCryptographicHash::hash(input, QCryptographicHash::Sha1).toBase64();
}

QByteArray switchingProtocolsResponse(const UpgradeRequest &request, QByteArrayView protocol)
{
    QByteArray response;
    response.reserve(160);
    response.append("HTTP/1.1 101 Switching Protocols\r\n"
                    "Upgrade: websocket\r\n"
                    "Connection: Upgrade\r\n"
                    "Sec-WebSocket-Accept: ");
    response.append(acceptKey(request.key));
    response.append("\r\n");
    if (!protocol.isEmpty()) {
        response.append("Sec-WebSocket-Protocol: ");
        response.append(protocol);
        response.append("\r\n");
    }
    response.append("\r\n");
    return response;
}

QByteArray httpErrorResponse(int status, QByteArrayView reason, QByteArrayView extraHeaders)
{
    const http::StatusText text = http::statusText(status);
    QByteArray body;
    body.append("{\"error\":");
    appendJsonString(body, text.slug);
    body.append(",\"reason\":");
    appendJsonString(body, reason);
    body.append('}');

    QByteArray response;
    response.reserve(200 + extraHeaders.size() + body.size());
    response.append("HTTP/1.1 ");
    response.append(QByteArray::number(status));
    response.append(' ');
    response.append(text.phrase);
    response.append("\r\nContent-Type: application/json\r\nContent-Length: ");
    response.append(QByteArray::number(body.size()));
    response.append("\r\nConnection: close\r\n");
    // RFC 9110 §15.5.22 and RFC 6455 §4.4: say what to upgrade to. Headers the caller passes
    // itself are not repeated.
    if (status == 426 && !hasHeaderLine(extraHeaders, "Upgrade"))
        response.append("Upgrade: websocket\r\n");
    if (status == 426 && !hasHeaderLine(extraHeaders, "Sec-WebSocket-Version"))
        response.append("Sec-WebSocket-Version: 13\r\n");
    if (status == 405 && !hasHeaderLine(extraHeaders, "Allow"))
        response.append("Allow: GET\r\n");
    if (!extraHeaders.isEmpty()) {
        response.append(extraHeaders);
        if (!extraHeaders.endsWith("\r\n"))
            response.append("\r\n");
    }
    response.append("\r\n");
    response.append(body);
    return response;
}

} // namespace veza::net::ws
