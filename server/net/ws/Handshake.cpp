// The client's side of the handshake: parsing the HTTP/1.1 upgrade request (RFC 6455 §4.2.1,
// RFC 9112 §2-5) and reading its headers and query.
#include "net/ws/Handshake.h"

#include "net/ws/HttpText.h"

#include <algorithm>
#include <optional>

namespace veza::net::ws {

namespace {

using namespace http;

constexpr qsizetype kKeyBase64Size = 24; // base64 of 16 bytes, padding included
constexpr qsizetype kKeyBytes = 16;

// Calls visit(item) for each trimmed, non-empty item of a comma-separated list; stops when
// visit returns true and returns whether it did.
template <typename Visit> bool anyListItem(QByteArrayView list, Visit visit)
{
    qsizetype start = 0;
    while (start <= list.size()) {
        qsizetype comma = list.indexOf(',', start);
        if (comma < 0)
            comma = list.size();
        const QByteArrayView item = trimOws(list.sliced(start, comma - start));
        if (!item.isEmpty() && visit(item))
            return true;
        start = comma + 1;
    }
    return false;
}

bool containsToken(QByteArrayView list, QByteArrayView token)
{
    return anyListItem(list, [&](QByteArrayView item) { return equalsIgnoringCase(item, token); });
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Decodes %XX escapes. A '%' not followed by two hex digits makes the input invalid when
// `strict`, and is kept as is otherwise.
std::optional<QByteArray> percentDecode(QByteArrayView text, bool strict)
{
    QByteArray decoded;
    decoded.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const int high = c == '%' && i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
        const int low = high >= 0 ? hexValue(text[i + 2]) : -1;
        if (c == '%' && low >= 0) {
            decoded += char(high * 16 + low);
            i += 2;
        } else if (c == '%' && strict) {
            return std::nullopt;
        } else {
            decoded += c;
        }
    }
    return decoded;
}

HandshakeParse invalid(int status, const char *reason, qsizetype consumed = 0)
{
    return {HandshakeStatus::Invalid, consumed, status, QByteArray(reason)};
}

bool isHttpVersion(QByteArrayView text)
{
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return text.size() == 8 && text.startsWith("HTTP/") && digit(text[5]) && text[6] == '.' &&
           digit(text[7]);
}

// "GET /chat?x=1 HTTP/1.1". Checked as soon as it is complete, so garbage (a TLS hello on the
// plain port, a scanner) is refused without waiting for a head that never ends.
std::optional<HandshakeParse> parseRequestLine(QByteArrayView line, UpgradeRequest &request)
{
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
    if (firstSpace <= 0 || secondSpace < 0 || line.indexOf(' ', secondSpace + 1) >= 0)
        return invalid(400, "malformed_request_line");
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(secondSpace + 1);
    const bool visibleTarget =
        !target.isEmpty() &&
        std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7F; });
    if (!isToken(method) || !visibleTarget || !isHttpVersion(version))
        return invalid(400, "malformed_request_line");
    if (version != "HTTP/1.1")
        return invalid(505, "http_version_not_supported");
    if (method != "GET")
        return invalid(405, "method_not_allowed");
    if (!target.startsWith('/')) // origin-form only: what every WebSocket client sends
        return invalid(400, "unsupported_request_target");

    const qsizetype question = target.indexOf('?');
    const QByteArrayView rawPath = question < 0 ? target : target.first(question);
    std::optional<QByteArray> path = percentDecode(rawPath, true);
    if (!path)
        return invalid(400, "invalid_path");
    request.method = method.toByteArray();
    request.target = target.toByteArray();
    request.path = std::move(*path);
    request.query = question < 0 ? QByteArray() : target.sliced(question + 1).toByteArray();
    return std::nullopt;
}

// One header line; a line starting with whitespace continues the previous header (obsolete
// folding, RFC 9112 §5.2: replaced by a space).
bool parseHeaderLine(QByteArrayView line, UpgradeRequest &request)
{
    if (line.contains('\r') || line.contains('\n') || line.contains('\0'))
        return false;
    if (isOws(line.front())) {
        if (request.headers.isEmpty())
            return false;
        const QByteArrayView more = trimOws(line);
        QByteArray &value = request.headers.last().second;
        if (!more.isEmpty()) {
            if (!value.isEmpty())
                value += ' ';
            value += more;
        }
        return true;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) // also refuses space before the colon
        return false;
    request.headers.append(
        {line.first(colon).toByteArray(), trimOws(line.sliced(colon + 1)).toByteArray()});
    return true;
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
    const auto hostCount =
        std::count_if(request.headers.cbegin(), request.headers.cend(),
                      [](const auto &h) { return equalsIgnoringCase(h.first, "host"); });
    if (hostCount != 1) // RFC 9112 §3.2: exactly one Host
        return invalid(400, hostCount == 0 ? "missing_host" : "duplicate_host", consumed);
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

QByteArray UpgradeRequest::header(QByteArrayView name) const
{
    QByteArray joined;
    for (const auto &[headerName, value] : headers) {
        if (!equalsIgnoringCase(headerName, name))
            continue;
        if (joined.isNull()) {
            joined = value.isNull() ? QByteArray("") : value;
        } else {
            joined += ", ";
            joined += value;
        }
    }
    return joined;
}

QByteArray UpgradeRequest::queryItem(QByteArrayView name) const
{
    const QByteArrayView rawQuery = query;
    qsizetype start = 0;
    while (start < rawQuery.size()) {
        qsizetype end = rawQuery.indexOf('&', start);
        if (end < 0)
            end = rawQuery.size();
        const QByteArrayView item = rawQuery.sliced(start, end - start);
        const qsizetype equals = item.indexOf('=');
        const QByteArrayView itemName = equals < 0 ? item : item.first(equals);
        if (*percentDecode(itemName, false) == name) {
            const QByteArray value =
                equals < 0 ? QByteArray() : *percentDecode(item.sliced(equals + 1), false);
            return value.isNull() ? QByteArray("") : value;
        }
        start = end + 1;
    }
    return QByteArray();
}

HandshakeParse parseUpgradeRequest(QByteArrayView buffer, UpgradeRequest *out,
                                   qsizetype maxHeadBytes)
{
    UpgradeRequest local;
    UpgradeRequest &request = out ? *out : local;
    request = UpgradeRequest();

    // Only the first maxHeadBytes may hold the head, terminator included.
    const QByteArrayView searchable = buffer.first(qMin(buffer.size(), maxHeadBytes));
    const qsizetype requestLineEnd = searchable.indexOf("\r\n");
    if (requestLineEnd >= 0) {
        if (auto error = parseRequestLine(searchable.first(requestLineEnd), request))
            return *error;
    }
    const qsizetype headEnd = searchable.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (buffer.size() >= maxHeadBytes)
            return invalid(431, "request_head_too_large");
        return {};
    }
    const qsizetype consumed = headEnd + 4;

    // Header lines lie between the request line and the empty line; the last one ends at
    // headEnd (its CRLF opens the terminator).
    qsizetype pos = requestLineEnd + 2;
    while (pos <= headEnd) {
        const qsizetype lineEnd = searchable.indexOf("\r\n", pos);
        if (!parseHeaderLine(searchable.sliced(pos, lineEnd - pos), request))
            return invalid(400, "malformed_header", consumed);
        pos = lineEnd + 2;
    }
    if (auto error = checkUpgradeHeaders(request, consumed))
        return *error;
    return {HandshakeStatus::Complete, consumed, 0, QByteArray()};
}

} // namespace veza::net::ws
