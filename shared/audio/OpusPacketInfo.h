#pragma once

#include <QByteArrayView>

namespace veza::audio {

// Samples per channel at 48 kHz that an Opus packet decodes to (its TOC byte and frame count),
// 0 when the packet is invalid. Lets a source's Opus packets pass through without re-encoding.
int opusPacketSamples(QByteArrayView packet);

} // namespace veza::audio
