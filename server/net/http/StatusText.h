#pragma once

namespace veza::net::http {

struct StatusText
{
    const char *phrase; // "Not Found"
    const char *slug;   // the "error" of a JSON error body, in the style of docs/protocol.md
};

StatusText statusText(int status);

} // namespace veza::net::http
