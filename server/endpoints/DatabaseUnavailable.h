#pragma once

#include "net/http/HttpResponse.h"

namespace veza::endpoints {

// The answer when the database cannot take a request now (down, or DATABASE_QUEUE_LIMIT jobs
// already waiting): 503 {"error":"database_unavailable"} with Retry-After, so a client comes
// back later instead of piling on.
inline net::http::HttpResponse databaseUnavailable()
{
    net::http::HttpResponse response = net::http::HttpResponse::error(503, "database_unavailable");
    response.headers.append({QByteArray("Retry-After"), QByteArray("1")});
    return response;
}

} // namespace veza::endpoints
