#pragma once

#include <QByteArrayView>
#include <QString>

namespace veza::net {

// The PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) that a load
// balancer may send before a connection's own bytes, naming the client it accepted. This is
// only the parser: whose header is believed is the caller's decision (TRUSTED_PROXIES). Pure
// function, any thread.
struct ProxyHeader
{
    enum class Status : quint8 {
        NotProxy,   // the bytes start something else: the connection's own protocol
        Incomplete, // a header (or the start of one) that needs more bytes
        Invalid,    // a header that breaks the specification: `reason` says how
        Parsed,     // a whole header of `consumed` bytes
    };

    Status status = Status::Incomplete;
    qsizetype consumed = 0;
    // Parsed: the client as plainPeerAddress() writes addresses; empty when the header names
    // none (v1 UNKNOWN, v2 LOCAL, v2 families other than TCP over IPv4 or IPv6): the
    // connection's own peer then stands.
    QString sourceAddress;
    const char *reason = ""; // Invalid only

    // A version 1 line ends within this many bytes, CRLF included (the specification's bound).
    static constexpr qsizetype kMaxV1Bytes = 107;
    // A version 2 header: 16 bytes, then at most this many of addresses and TLVs.
    static constexpr qsizetype kV2FixedBytes = 16;
    static constexpr qsizetype kMaxV2PayloadBytes = 536;
};

// Reads the header at the start of `bytes`, recognising "not a header" from the first byte that
// differs from both versions' signatures ("PROXY " and "\r\n\r\n\0\r\nQUIT\n").
ProxyHeader parseProxyHeader(QByteArrayView bytes);

} // namespace veza::net
