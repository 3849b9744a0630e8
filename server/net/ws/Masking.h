// The XOR masking of RFC 6455 §5.3, shared by the parser (unmasking client frames) and the
// client-side writer used by tests and benchmarks. Works 8 bytes at a time: the 4-byte key is
// repeated into a 64-bit word, so masking costs one load, XOR and store per 8 bytes.
#pragma once

#include <QtGlobal>
#include <array>
#include <cstring>

namespace veza::net::ws {

// The key as its 4 wire bytes: payload byte i is XORed with key[i % 4].
using MaskKey = std::array<quint8, 4>;

// dst[i] = src[i] ^ key[i % 4] for i in [0, size). dst may equal src (in-place).
inline void applyMask(char *dst, const char *src, qsizetype size, const MaskKey &key)
{
    const quint8 pattern[8] = {key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3]};
    quint64 key64;
    std::memcpy(&key64, pattern, sizeof key64); // memory order, so endianness does not matter
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, src + i, sizeof word);
        word ^= key64;
        std::memcpy(dst + i, &word, sizeof word);
    }
    for (; i < size; ++i) // i is a multiple of 8 here, so the key phase restarts at 0
        dst[i] = char(quint8(src[i]) ^ key[i & 3]);
}

// The key to use for the bytes that follow `consumed` already-masked bytes.
inline MaskKey advanceMask(const MaskKey &key, qsizetype consumed)
{
    const int shift = int(consumed & 3);
    return {key[shift], key[(shift + 1) & 3], key[(shift + 2) & 3], key[(shift + 3) & 3]};
}

} // namespace veza::net::ws
