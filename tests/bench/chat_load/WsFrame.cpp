#include "WsFrame.h"

#include <cstring>

namespace chatbench {

void applyMask(char *data, size_t size, const uint8_t mask[4])
{
    uint32_t key32;
    std::memcpy(&key32, mask, 4);
    const uint64_t key64 = uint64_t(key32) << 32 | key32;
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t word;
        std::memcpy(&word, data + i, 8);
        word ^= key64;
        std::memcpy(data + i, &word, 8);
    }
    for (; i < size; ++i)
        data[i] = char(data[i] ^ mask[i & 3]);
}

size_t encodeClientFrame(uint8_t opcode, const char *payload, size_t size, uint32_t maskKey,
                         char *out)
{
    auto *p = reinterpret_cast<unsigned char *>(out);
    size_t n = 0;
    p[n++] = uint8_t(0x80 | (opcode & 0x0f));
    if (size < 126) {
        p[n++] = uint8_t(0x80 | size);
    } else if (size <= 0xffff) {
        p[n++] = 0x80 | 126;
        p[n++] = uint8_t(size >> 8);
        p[n++] = uint8_t(size);
    } else {
        p[n++] = 0x80 | 127;
        for (int shift = 56; shift >= 0; shift -= 8)
            p[n++] = uint8_t(uint64_t(size) >> shift);
    }
    uint8_t mask[4];
    std::memcpy(mask, &maskKey, 4);
    std::memcpy(p + n, mask, 4);
    n += 4;
    if (size > 0) {
        std::memcpy(out + n, payload, size);
        applyMask(out + n, size, mask);
    }
    return n + size;
}

bool decodeFrameHeader(const unsigned char *data, size_t size, FrameHeader &h)
{
    if (size < 2)
        return false;
    h.fin = (data[0] & 0x80) != 0;
    h.opcode = data[0] & 0x0f;
    h.masked = (data[1] & 0x80) != 0;
    const uint8_t len7 = data[1] & 0x7f;
    size_t n = 2;
    if (len7 < 126) {
        h.payloadSize = len7;
    } else if (len7 == 126) {
        if (size < 4)
            return false;
        h.payloadSize = uint64_t(data[2]) << 8 | data[3];
        n = 4;
    } else {
        if (size < 10)
            return false;
        h.payloadSize = 0;
        for (int i = 0; i < 8; ++i)
            h.payloadSize = h.payloadSize << 8 | data[2 + i];
        n = 10;
    }
    if (h.masked) {
        if (size < n + 4)
            return false;
        std::memcpy(h.mask, data + n, 4);
        n += 4;
    }
    h.headerSize = n;
    return true;
}

} // namespace chatbench
