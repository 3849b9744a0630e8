#pragma once

namespace veza::net {

namespace http {
class HttpRouter;
}
struct NetMetrics;

// Counts every request the router answers, now or later, in http_requests_total (by method,
// route and status), the 5xx ones also in http_errors_total, and times it in
// http_request_duration_seconds.
void countHttpRequests(http::HttpRouter &router, NetMetrics &metrics);

} // namespace veza::net
