#include "net/http/StatusText.h"

namespace veza::net::http {

StatusText statusText(int status)
{
    switch (status) {
    case 100:
        return {"Continue", ""};
    case 200:
        return {"OK", ""};
    case 201:
        return {"Created", ""};
    case 204:
        return {"No Content", ""};
    case 400:
        return {"Bad Request", "bad_request"};
    case 401:
        return {"Unauthorized", "unauthorized"};
    case 403:
        return {"Forbidden", "forbidden"};
    case 404:
        return {"Not Found", "not_found"};
    case 405:
        return {"Method Not Allowed", "method_not_allowed"};
    case 408:
        return {"Request Timeout", "timeout"};
    case 409:
        return {"Conflict", "conflict"};
    case 413:
        return {"Content Too Large", "too_large"};
    case 415:
        return {"Unsupported Media Type", "unsupported_media_type"};
    case 417:
        return {"Expectation Failed", "expectation_failed"};
    case 426:
        return {"Upgrade Required", "upgrade_required"};
    case 429:
        return {"Too Many Requests", "rate_limited"};
    case 431:
        return {"Request Header Fields Too Large", "too_large"};
    case 500:
        return {"Internal Server Error", "internal"};
    case 501:
        return {"Not Implemented", "not_implemented"};
    case 503:
        return {"Service Unavailable", "unavailable"};
    case 505:
        return {"HTTP Version Not Supported", "version_not_supported"};
    }
    if (status >= 500)
        return {"Server Error", "error"};
    if (status >= 400)
        return {"Client Error", "error"};
    return {"Unknown", ""};
}

} // namespace veza::net::http
