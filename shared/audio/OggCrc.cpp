#include "OggCrc.h"

#include <array>

namespace veza::audio {

namespace {

constexpr std::array<quint32, 256> makeTable()
{
    std::array<quint32, 256> table{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 r = i << 24;
        for (int bit = 0; bit < 8; ++bit)
            r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
        table[i] = r;
    }
    return table;
}

constexpr std::array<quint32, 256> kTable = makeTable();

} // namespace

quint32 oggCrc32(QByteArrayView bytes)
{
    quint32 crc = 0;
    for (char c : bytes)
        crc = (crc << 8) ^ kTable[((crc >> 24) ^ static_cast<quint8>(c)) & 0xff];
    return crc;
}

} // namespace veza::audio
