// Frame opcodes and close status codes of RFC 6455 (§5.2, §7.4), shared by the parser, the
// writer and the connection that uses them.
#pragma once

#include <QtGlobal>

namespace veza::net::ws {

enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Control frames (close, ping, pong) have the high bit of the opcode set (§5.5).
constexpr bool isControl(Opcode opcode)
{
    return (quint8(opcode) & 0x8) != 0;
}

// The opcodes RFC 6455 defines; everything else is reserved and fails the connection.
constexpr bool isKnownOpcode(quint8 opcode)
{
    return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

} // namespace veza::net::ws
