#pragma once

#include <QLatin1StringView>

// The stable list of error codes a client may receive in `{"type":"error","code":...}`.
// Append only; documented in docs/protocol.md.
#define VEZA_ERROR_CODES(X)                                                                        \
    X(BadRequest, "bad_request")                                                                   \
    X(Unauthorized, "unauthorized")                                                                \
    X(Forbidden, "forbidden")                                                                      \
    X(NotFound, "not_found")                                                                       \
    X(TooLarge, "too_large")                                                                       \
    X(RateLimited, "rate_limited")                                                                 \
    X(Conflict, "conflict")                                                                        \
    X(Internal, "internal")

namespace veza::protocol {

enum class ErrorCode {
#define VEZA_ERROR_ENTRY(id, name) id,
    VEZA_ERROR_CODES(VEZA_ERROR_ENTRY)
#undef VEZA_ERROR_ENTRY
};

QLatin1StringView errorCodeName(ErrorCode code);

} // namespace veza::protocol
