#include "net/http/BasicAuth.h"

#include "net/http/HttpText.h"

namespace veza::net::http {

std::optional<BasicCredentials> parseBasicAuth(QByteArrayView authorization)
{
    authorization = trimOws(authorization);
    const qsizetype space = authorization.indexOf(' ');
    if (space <= 0 || !equalsIgnoringCase(authorization.first(space), "Basic"))
        return std::nullopt;
    const auto decoded =
        QByteArray::fromBase64Encoding(trimOws(authorization.sliced(space + 1)).toByteArray(),
                                       QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QByteArray &text = decoded.decoded;
    const qsizetype colon = text.indexOf(':');
    if (colon < 0)
        return std::nullopt;
    return BasicCredentials{text.first(colon), text.sliced(colon + 1)};
}

} // namespace veza::net::http
