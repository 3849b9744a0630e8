#pragma once

#include <QByteArray>
#include <optional>

namespace veza::net::http {
struct HttpRequest;
} // namespace veza::net::http

namespace veza::endpoints {

// The title an Icecast metadata update (GET /admin/metadata?mode=updinfo) sets, as encoders
// send it: `song`, or Icecast's `artist` and `title` pair (joined "artist - title"), in the
// `charset` named (UTF-8 when absent; bytes that are not UTF-8 then read as Latin-1, as old
// encoders send), as UTF-8 without control characters, at most maxCharacters long (cut, not
// refused: an encoder cannot show an error). nullopt and `problem` when neither is given or
// the charset is unknown.
struct IcecastMetadata
{
    static constexpr int maxCharacters = 200;
    static std::optional<QByteArray> titleOf(const net::http::HttpRequest &request,
                                             QByteArray *problem);
};

} // namespace veza::endpoints
