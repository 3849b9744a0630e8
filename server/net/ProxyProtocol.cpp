#include "net/ProxyProtocol.h"

#include "net/PeerAddress.h"

#include <QHostAddress>
#include <QVarLengthArray>
#include <algorithm>
#include <arpa/inet.h>
#include <cstring>

namespace veza::net {
namespace {

using Status = ProxyHeader::Status;

constexpr QByteArrayView kV1Signature("PROXY ");
constexpr char kV2SignatureBytes[] = "\r\n\r\n\0\r\nQUIT\n";
constexpr QByteArrayView kV2Signature(kV2SignatureBytes, 12);

constexpr quint8 kV2Version = 0x2;
enum V2Command : quint8 { Local = 0x0, Proxy = 0x1 };
enum V2Family : quint8 { Unspecified = 0x0, Inet = 0x1, Inet6 = 0x2, Unix = 0x3 };
constexpr quint8 kV2Stream = 0x1;
constexpr quint8 kV2LastTransport = 0x2; // DGRAM

ProxyHeader incomplete()
{
    return {};
}

ProxyHeader invalid(const char *reason)
{
    ProxyHeader header;
    header.status = Status::Invalid;
    header.reason = reason;
    return header;
}

ProxyHeader parsed(qsizetype consumed, const QString &sourceAddress = {})
{
    ProxyHeader header;
    header.status = Status::Parsed;
    header.consumed = consumed;
    header.sourceAddress = sourceAddress.isEmpty() ? QString() : plainPeerAddress(sourceAddress);
    return header;
}

// Whether `bytes` could still be `signature` or start with it.
bool agrees(QByteArrayView bytes, QByteArrayView signature)
{
    const qsizetype common = std::min(bytes.size(), signature.size());
    return bytes.first(common) == signature.first(common);
}

// Four or sixteen bytes in network order, as text.
QString addressText(int family, const quint8 *address)
{
    if (family == AF_INET6)
        return QHostAddress(address).toString();
    return QHostAddress(quint32(address[0]) << 24 | quint32(address[1]) << 16 |
                        quint32(address[2]) << 8 | address[3])
        .toString();
}

// An address written strictly as inet_pton(3) reads it (no shortened IPv4, no scope), as text.
QString textAddress(int family, QByteArrayView field)
{
    char text[INET6_ADDRSTRLEN] = {};
    // A NUL would end the text early and hide what follows it.
    if (field.isEmpty() || field.size() >= qsizetype(sizeof text) || field.contains('\0'))
        return {};
    std::memcpy(text, field.data(), size_t(field.size()));
    quint8 binary[16] = {};
    if (::inet_pton(family, text, binary) != 1)
        return {};
    return addressText(family, binary);
}

// 0 to 65535 in decimal, without leading zeros.
bool isPort(QByteArrayView field)
{
    if (field.isEmpty() || field.size() > 5 || (field.size() > 1 && field.front() == '0'))
        return false;
    int value = 0;
    for (const char digit : field) {
        if (digit < '0' || digit > '9')
            return false;
        value = value * 10 + (digit - '0');
    }
    return value <= 65535;
}

// "PROXY TCP4|TCP6 src dst sport dport\r\n", or "PROXY UNKNOWN[ anything]\r\n".
ProxyHeader parseV1(QByteArrayView bytes)
{
    const qsizetype end =
        bytes.first(std::min(bytes.size(), ProxyHeader::kMaxV1Bytes)).indexOf('\n');
    if (end < 0) {
        return bytes.size() < ProxyHeader::kMaxV1Bytes
                   ? incomplete()
                   : invalid("v1: no line end within 107 bytes");
    }
    if (bytes[end - 1] != '\r')
        return invalid("v1: the line does not end with CRLF");
    const qsizetype consumed = end + 1;
    const QByteArrayView line = bytes.sliced(kV1Signature.size(), end - 1 - kV1Signature.size());
    // Single spaces between fields: an empty field is a syntax error.
    QVarLengthArray<QByteArrayView, 5> fields;
    for (qsizetype start = 0;;) {
        // The fifth field runs to the line's end: a sixth would make it no port.
        const qsizetype space = fields.size() < 4 ? line.indexOf(' ', start) : -1;
        fields.append(line.sliced(start, (space < 0 ? line.size() : space) - start));
        if (space < 0)
            break;
        start = space + 1;
    }
    if (fields.front() == "UNKNOWN")
        return parsed(consumed); // what follows UNKNOWN is to be ignored
    const bool tcp4 = fields.front() == "TCP4";
    if (!tcp4 && fields.front() != "TCP6")
        return invalid("v1: unknown protocol");
    if (fields.size() != 5)
        return invalid("v1: not four fields after the protocol");
    const int family = tcp4 ? AF_INET : AF_INET6;
    const QString source = textAddress(family, fields[1]);
    if (source.isEmpty() || textAddress(family, fields[2]).isEmpty())
        return invalid("v1: an address is not one of the protocol's family");
    if (!isPort(fields[3]) || !isPort(fields[4]))
        return invalid("v1: a port is not a number from 0 to 65535");
    return parsed(consumed, source);
}

// The 12-byte signature, version and command, family and transport, the length of what follows
// (addresses, then TLVs, which are skipped), all in network byte order.
ProxyHeader parseV2(QByteArrayView bytes)
{
    if (bytes.size() <= 12)
        return incomplete();
    const quint8 versionCommand = quint8(bytes[12]);
    const quint8 command = versionCommand & 0xF;
    if (versionCommand >> 4 != kV2Version)
        return invalid("v2: not version 2");
    if (command != Local && command != Proxy)
        return invalid("v2: unknown command");
    if (bytes.size() <= 13)
        return incomplete();
    const quint8 family = quint8(bytes[13]) >> 4;
    const quint8 transport = quint8(bytes[13]) & 0xF;
    if (family > Unix || transport > kV2LastTransport)
        return invalid("v2: unknown address family or transport");
    if (bytes.size() < ProxyHeader::kV2FixedBytes)
        return incomplete();
    const qsizetype length = qsizetype(quint8(bytes[14])) << 8 | quint8(bytes[15]);
    if (length > ProxyHeader::kMaxV2PayloadBytes)
        return invalid("v2: more than 536 bytes of addresses and TLVs");
    // LOCAL (the balancer's own health checks) ignores the family, whatever its length.
    const qsizetype addressBytes = family == Inet    ? 12
                                   : family == Inet6 ? 36
                                   : family == Unix  ? 216
                                                     : 0;
    if (command == Proxy && length < addressBytes)
        return invalid("v2: shorter than its family's addresses");
    const qsizetype consumed = ProxyHeader::kV2FixedBytes + length;
    if (bytes.size() < consumed)
        return incomplete();
    // Only TCP over IP names a client; other families fall back to the real peer (the spec).
    if (command != Proxy || transport != kV2Stream || (family != Inet && family != Inet6))
        return parsed(consumed);
    const auto *source =
        reinterpret_cast<const quint8 *>(bytes.data() + ProxyHeader::kV2FixedBytes);
    return parsed(consumed, addressText(family == Inet6 ? AF_INET6 : AF_INET, source));
}

} // namespace

ProxyHeader parseProxyHeader(QByteArrayView bytes)
{
    if (agrees(bytes, kV1Signature))
        return bytes.size() < kV1Signature.size() ? incomplete() : parseV1(bytes);
    if (agrees(bytes, kV2Signature))
        return bytes.size() < kV2Signature.size() ? incomplete() : parseV2(bytes);
    ProxyHeader header;
    header.status = Status::NotProxy;
    return header;
}

} // namespace veza::net
