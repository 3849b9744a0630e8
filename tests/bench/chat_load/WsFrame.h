// RFC 6455 framing: masked client frames out, unmasked server frames in.
#pragma once

#include <cstddef>
#include <cstdint>

namespace chatbench {

enum Opcode : uint8_t {
    kContinuation = 0x0,
    kText = 0x1,
    kBinary = 0x2,
    kClose = 0x8,
    kPing = 0x9,
    kPong = 0xA,
};

// Most bytes a frame header takes (2 + 8 length + 4 mask).
inline constexpr size_t kMaxFrameHeader = 14;

// Writes one final, masked frame into `out` (room for size + kMaxFrameHeader bytes);
// returns the frame's length.
size_t encodeClientFrame(uint8_t opcode, const char *payload, size_t size, uint32_t maskKey,
                         char *out);

struct FrameHeader
{
    bool fin = false;
    bool masked = false;
    uint8_t opcode = 0;
    size_t headerSize = 0; // bytes before the payload
    uint64_t payloadSize = 0;
    uint8_t mask[4] = {};
};

// Decodes the header at data[0..size). Returns false when more bytes are needed.
bool decodeFrameHeader(const unsigned char *data, size_t size, FrameHeader &header);

// XOR in place with the 4-byte key (unmasking is the same operation).
void applyMask(char *data, size_t size, const uint8_t mask[4]);

} // namespace chatbench
