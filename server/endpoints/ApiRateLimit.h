#pragma once

namespace veza::net {
class KeyedRateLimiter;
}
namespace veza::net::http {
struct HttpRequest;
class HttpResponder;
} // namespace veza::net::http

namespace veza::endpoints {

struct TokenCheck;

// The HTTP API's rate limit (RATE_LIMIT_PER_MINUTE): counted per user for a valid bearer
// token, per client address otherwise (a forged or expired token counts against its sender's
// address, so inventing tokens gains nothing; IPv6 addresses by their /64, as one subscriber
// holds a whole prefix). Over it: 429 {"error":"rate_limited","retry_after_ms":...} with
// Retry-After in seconds. True when the request may go on. Network thread.
bool admitApiRequest(const net::http::HttpRequest &request, net::http::HttpResponder &responder,
                     const TokenCheck &tokens, net::KeyedRateLimiter &limiter);

} // namespace veza::endpoints
