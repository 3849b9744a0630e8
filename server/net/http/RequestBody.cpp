#include "net/http/RequestBody.h"

#include "net/http/HttpText.h"

#include <algorithm>

namespace veza::net::http {

namespace {

BodyFraming refuse(int status, const char *reason)
{
    return {false, 0, status, QByteArray(reason)};
}

} // namespace

BodyFraming bodyFraming(const RequestHead &head, qint64 maxBodyBytes)
{
    if (head.headerCount("transfer-encoding") > 0)
        return containsToken(head.header("transfer-encoding"), "chunked")
                   ? refuse(501, "chunked_body_not_supported")
                   : refuse(501, "transfer_encoding_not_supported");
    const QByteArray lengths = head.header("content-length");
    if (lengths.isNull())
        return {};
    // Repeated headers (or a list) must all carry the same number (RFC 9110 §8.6).
    qint64 length = -1;
    const bool bad = anyListItem(lengths, [&](QByteArrayView item) {
        if (item.size() > 18 ||
            !std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return true;
        const qint64 value = item.toLongLong();
        if (length >= 0 && value != length)
            return true;
        length = value;
        return false;
    });
    if (bad || length < 0)
        return refuse(400, "invalid_content_length");
    if (length > maxBodyBytes)
        return refuse(413, "body_too_large");
    return {true, length, 0, QByteArray()};
}

bool wantsKeepAlive(const RequestHead &head)
{
    const QByteArray connection = head.header("connection");
    if (containsToken(connection, "close"))
        return false;
    return head.minorVersion >= 1 || containsToken(connection, "keep-alive");
}

bool expectsContinue(const RequestHead &head)
{
    return head.minorVersion >= 1 && equalsIgnoringCase(head.header("expect"), "100-continue");
}

} // namespace veza::net::http
