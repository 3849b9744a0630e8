// Reads the frames a /listen/{name} server sends, as they arrive in pieces: keeps the first
// bytes of each frame's payload (the 16-byte packet header of a binary frame, a text message's
// start, a close code) and reports each complete frame. Server frames are unmasked.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace streambench {

enum class WsOpcode : uint8_t {
    Continuation = 0,
    Text = 1,
    Binary = 2,
    Close = 8,
    Ping = 9,
    Pong = 10
};

// The header in front of each Opus packet (big-endian on the wire).
struct PacketHeader
{
    uint8_t version = 0;
    uint8_t rendition = 0;
    uint32_t sequence = 0;
    int64_t captureUs = 0; // Unix time, µs
};

struct WsFrame
{
    WsOpcode opcode;
    uint64_t length;       // payload bytes
    const uint8_t *prefix; // the payload's first min(length, kPrefixBytes) bytes
    size_t prefixLength;
};

class WsFrameReader
{
public:
    // Enough for a control frame's whole payload (at most 125 bytes by RFC 6455).
    static constexpr size_t kPrefixBytes = 125;

    // Consumes `size` bytes; calls onFrame(const WsFrame &) for each frame they complete.
    // Returns false on a malformed header (a length over 2^63).
    template <typename OnFrame> bool feed(const uint8_t *data, size_t size, OnFrame &&onFrame);

    static bool parsePacketHeader(const WsFrame &frame, PacketHeader &header);
    // The status code of a close frame, 1005 (none given) when its payload is empty.
    static uint16_t closeCode(const WsFrame &frame);

private:
    size_t headerNeeded() const;
    bool startPayload();

    uint8_t m_head[14] = {};
    uint8_t m_headHave = 0;
    bool m_inPayload = false;
    WsOpcode m_opcode = WsOpcode::Continuation;
    uint64_t m_length = 0;
    uint64_t m_remaining = 0;
    uint8_t m_prefixHave = 0;
    uint8_t m_prefix[kPrefixBytes] = {};
};

template <typename OnFrame>
bool WsFrameReader::feed(const uint8_t *data, size_t size, OnFrame &&onFrame)
{
    while (size > 0) {
        if (!m_inPayload) {
            const size_t need = headerNeeded();
            const size_t take = need - m_headHave < size ? need - m_headHave : size;
            for (size_t i = 0; i < take; ++i)
                m_head[m_headHave++] = data[i];
            data += take;
            size -= take;
            // Two bytes tell how long the header is: go round again for the rest.
            if (m_headHave < headerNeeded())
                continue;
            if (!startPayload())
                return false;
        } else {
            const size_t take = m_remaining < size ? size_t(m_remaining) : size;
            const size_t keep = std::min(take, kPrefixBytes - m_prefixHave);
            std::memcpy(m_prefix + m_prefixHave, data, keep);
            m_prefixHave = uint8_t(m_prefixHave + keep);
            data += take;
            size -= take;
            m_remaining -= take;
        }
        if (m_inPayload && m_remaining == 0) {
            onFrame(WsFrame{m_opcode, m_length, m_prefix, m_prefixHave});
            m_inPayload = false;
            m_headHave = 0;
        }
    }
    return true;
}

} // namespace streambench
