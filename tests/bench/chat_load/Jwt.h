// HS256 access tokens as veza-server verifies them (docs/auth.md), and base64 helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatbench {

// base64 (RFC 4648 section 4, with padding) or base64url without padding (section 5).
std::string base64(const unsigned char *data, size_t size);
std::string base64Url(std::string_view data);

// Token for user "u<user>": sub and name u<user>, no roles, iat 5 s and nbf 60 s in the
// past (the server refuses tokens from the future), valid for one hour.
std::string makeToken(std::string_view secret, uint32_t user, int64_t unixNow);

} // namespace chatbench
