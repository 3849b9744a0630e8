#pragma once

#include <QByteArray>

namespace veza::audio {

// The 7-byte ADTS header (ISO/IEC 13818-7) that turns a raw AAC-LC frame into a self-describing
// frame of a .aac stream: MPEG-4, AAC-LC, no CRC, one raw data block, buffer fullness 0x7FF (VBR).
// Returns an empty array for a sample rate ADTS cannot signal, channels outside 1..7 or a frame
// too long for its 13-bit length field.
QByteArray adtsHeader(int sampleRate, int channels, int payloadBytes);

} // namespace veza::audio
