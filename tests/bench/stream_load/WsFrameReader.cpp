#include "WsFrameReader.h"

namespace streambench {
namespace {

uint64_t bigEndian(const uint8_t *bytes, int count)
{
    uint64_t value = 0;
    for (int i = 0; i < count; ++i)
        value = value << 8 | bytes[i];
    return value;
}

} // namespace

size_t WsFrameReader::headerNeeded() const
{
    if (m_headHave < 2)
        return 2;
    const uint8_t length = m_head[1] & 0x7f;
    const size_t masked = (m_head[1] & 0x80) ? 4 : 0;
    return 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + masked;
}

bool WsFrameReader::startPayload()
{
    m_opcode = WsOpcode(m_head[0] & 0x0f);
    const uint8_t length = m_head[1] & 0x7f;
    if (length == 126)
        m_length = bigEndian(m_head + 2, 2);
    else if (length == 127)
        m_length = bigEndian(m_head + 2, 8);
    else
        m_length = length;
    if (m_length >> 63)
        return false;
    m_remaining = m_length;
    m_prefixHave = 0;
    m_inPayload = true;
    return true;
}

bool WsFrameReader::parsePacketHeader(const WsFrame &frame, PacketHeader &header)
{
    if (frame.opcode != WsOpcode::Binary || frame.prefixLength < 16)
        return false;
    header.version = frame.prefix[0];
    header.rendition = frame.prefix[1];
    header.sequence = uint32_t(bigEndian(frame.prefix + 4, 4));
    header.captureUs = int64_t(bigEndian(frame.prefix + 8, 8));
    return true;
}

uint16_t WsFrameReader::closeCode(const WsFrame &frame)
{
    return frame.prefixLength >= 2 ? uint16_t(bigEndian(frame.prefix, 2)) : 1005;
}

} // namespace streambench
