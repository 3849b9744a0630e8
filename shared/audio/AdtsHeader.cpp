#include "AdtsHeader.h"

#include <array>

namespace veza::audio {

namespace {

constexpr int kHeaderBytes = 7;
constexpr int kMaxFrameBytes = (1 << 13) - 1; // 13-bit frame_length, header included
constexpr int kAacLcProfile = 1;              // audio object type 2 (AAC-LC) minus one

int samplingFrequencyIndex(int sampleRate)
{
    static constexpr std::array<int, 13> kRates{96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                                22050, 16000, 12000, 11025, 8000,  7350};
    for (int i = 0; i < int(kRates.size()); ++i) {
        if (kRates[i] == sampleRate)
            return i;
    }
    return -1;
}

} // namespace

QByteArray adtsHeader(int sampleRate, int channels, int payloadBytes)
{
    const int rateIndex = samplingFrequencyIndex(sampleRate);
    const int frameBytes = payloadBytes + kHeaderBytes;
    if (rateIndex < 0 || channels < 1 || channels > 7 || payloadBytes < 0 ||
        frameBytes > kMaxFrameBytes)
        return {};

    constexpr int kBufferFullness = 0x7ff; // variable bitrate
    QByteArray h(kHeaderBytes, Qt::Uninitialized);
    h[0] = char(0xff); // syncword 0xFFF ...
    h[1] = char(0xf1); // ... MPEG-4, layer 0, protection_absent = 1
    h[2] = char((kAacLcProfile << 6) | (rateIndex << 2) | (channels >> 2));
    h[3] = char(((channels & 3) << 6) | (frameBytes >> 11));
    h[4] = char((frameBytes >> 3) & 0xff);
    h[5] = char(((frameBytes & 7) << 5) | (kBufferFullness >> 6));
    h[6] = char((kBufferFullness & 0x3f) << 2); // number_of_raw_data_blocks_in_frame - 1 = 0
    return h;
}

} // namespace veza::audio
