// Parsing HTTP/1.x request heads (RFC 9112 §2-5) and reading their headers and query.
#include "net/http/RequestHead.h"

#include "net/http/HttpText.h"

#include <algorithm>
#include <optional>

namespace veza::net::http {

namespace {

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

enum class Plus { Kept, Space };

// Decodes %XX escapes (and '+' as a space in a form-encoded query). A '%' not followed by two
// hex digits makes the input invalid when `strict`, and is kept as is otherwise.
std::optional<QByteArray> decode(QByteArrayView text, bool strict, Plus plus = Plus::Kept)
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
        } else if (c == '+' && plus == Plus::Space) {
            decoded += ' ';
        } else {
            decoded += c;
        }
    }
    return decoded;
}

HeadParse invalid(int status, const char *reason, qsizetype consumed = 0)
{
    return {ParseStatus::Invalid, consumed, status, QByteArray(reason)};
}

bool isHttpVersion(QByteArrayView text)
{
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return text.size() == 8 && text.startsWith("HTTP/") && digit(text[5]) && text[6] == '.' &&
           digit(text[7]);
}

// "GET /chat?x=1 HTTP/1.1". Checked as soon as it is complete, so garbage (a TLS hello on the
// plain port, a scanner) is refused without waiting for a head that never ends.
std::optional<HeadParse> parseRequestLine(QByteArrayView line, RequestHead &request,
                                          RequestLineCheck check)
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
    // Legacy Icecast sources (libshout before 2.4, ffmpeg's -legacy_icecast): "SOURCE /m ICE/1.0".
    const bool ice = method == "SOURCE" && version == "ICE/1.0";
    if (!isToken(method) || !visibleTarget || (!ice && !isHttpVersion(version)))
        return invalid(400, "malformed_request_line");
    if (check) {
        HeadParse refused = check(method, version);
        if (refused.status == ParseStatus::Invalid)
            return refused;
    }
    if (!ice && version != "HTTP/1.1" && version != "HTTP/1.0")
        return invalid(505, "http_version_not_supported");
    if (!target.startsWith('/')) // origin-form only
        return invalid(400, "unsupported_request_target");

    const qsizetype question = target.indexOf('?');
    const QByteArrayView rawPath = question < 0 ? target : target.first(question);
    std::optional<QByteArray> path = decode(rawPath, true);
    if (!path)
        return invalid(400, "invalid_path");
    request.method = method.toByteArray();
    request.target = target.toByteArray();
    request.path = std::move(*path);
    request.query = question < 0 ? QByteArray() : target.sliced(question + 1).toByteArray();
    request.ice = ice;
    request.minorVersion = ice ? 0 : version[7] - '0';
    return std::nullopt;
}

// One header line; a line starting with whitespace continues the previous header (obsolete
// folding, RFC 9112 §5.2: replaced by a space).
bool parseHeaderLine(QByteArrayView line, RequestHead &request)
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

} // namespace

QByteArray RequestHead::header(QByteArrayView name) const
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

int RequestHead::headerCount(QByteArrayView name) const
{
    return int(std::count_if(headers.cbegin(), headers.cend(),
                             [&](const auto &h) { return equalsIgnoringCase(h.first, name); }));
}

QByteArray RequestHead::queryItem(QByteArrayView name) const
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
        if (formDecode(itemName) == name) {
            const QByteArray value =
                equals < 0 ? QByteArray() : formDecode(item.sliced(equals + 1));
            return value.isNull() ? QByteArray("") : value;
        }
        start = end + 1;
    }
    return QByteArray();
}

QByteArray percentDecode(QByteArrayView text)
{
    return *decode(text, false);
}

QByteArray formDecode(QByteArrayView text)
{
    return *decode(text, false, Plus::Space);
}

HeadParse parseRequestHead(QByteArrayView buffer, RequestHead *out, qsizetype maxHeadBytes,
                           RequestLineCheck check)
{
    RequestHead local;
    RequestHead &request = out ? *out : local;
    request = RequestHead();

    // Only the first maxHeadBytes may hold the head, terminator included.
    const QByteArrayView searchable = buffer.first(qMin(buffer.size(), maxHeadBytes));
    const qsizetype requestLineEnd = searchable.indexOf("\r\n");
    if (requestLineEnd >= 0) {
        if (auto error = parseRequestLine(searchable.first(requestLineEnd), request, check))
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
    // RFC 9112 §3.2: exactly one Host in HTTP/1.1, at most one in HTTP/1.0.
    const int hostCount = request.headerCount("host");
    if (hostCount > 1)
        return invalid(400, "duplicate_host", consumed);
    if (hostCount == 0 && request.minorVersion >= 1)
        return invalid(400, "missing_host", consumed);
    return {ParseStatus::Complete, consumed, 0, QByteArray()};
}

} // namespace veza::net::http
