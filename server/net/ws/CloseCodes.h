// Close status codes (RFC 6455 §7.4 and the IANA registry) and which of them a peer may send.
#pragma once

#include <QtGlobal>

namespace veza::net::ws {

namespace CloseCode {
constexpr quint16 Normal = 1000;
constexpr quint16 GoingAway = 1001;
constexpr quint16 ProtocolError = 1002;
constexpr quint16 UnsupportedData = 1003;
constexpr quint16 NoStatus = 1005; // never on the wire: "the close frame carried no code"
constexpr quint16 Abnormal = 1006; // never on the wire: "the connection dropped"
constexpr quint16 InvalidPayload = 1007;
constexpr quint16 PolicyViolation = 1008;
constexpr quint16 TooBig = 1009;
constexpr quint16 InternalError = 1011;
constexpr quint16 TryAgainLater = 1013;
} // namespace CloseCode

// Whether a close frame received from a peer may carry `code` (§7.4.1, §7.4.2).
// 1004-1006 and 1015 are reserved or must never be sent; 1010 is client-only but valid.
// 1012-1014 (Service Restart, Try Again Later, Bad Gateway) were registered with IANA after
// RFC 6455, browsers send them and current Autobahn accepts them, so they are valid here.
// 3000-3999 are registered by libraries, 4000-4999 private use.
constexpr bool isValidReceivedCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

} // namespace veza::net::ws
