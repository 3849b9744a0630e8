#pragma once

#include <QByteArray>
#include <QtGlobal>
#include <vector>

// The one PCM format inside the audio pipeline: every source is decoded and resampled to it,
// the effects chain works on it and every encoder takes it. Opus runs at 48 kHz natively, so
// 48 kHz stereo costs no resampling on the common path.
namespace veza::audio {

constexpr int kSampleRate = 48000;
constexpr int kChannels = 2;
constexpr int kOpusFrameSamples = 960; // 20 ms per channel at 48 kHz

// Interleaved stereo float samples at kSampleRate, nominally in [-1, 1].
struct PcmBlock
{
    std::vector<float> samples; // L R L R ...
    // When the source bytes this audio came from arrived (monotonic ns, MonotonicClock.h);
    // carried through to the listener packets for the end-to-end latency figure.
    qint64 captureNs = 0;

    int frames() const { return static_cast<int>(samples.size() / kChannels); }
};

// One encoded packet (an Opus packet, an MP3 frame, an ADTS frame) ready for a container.
struct EncodedPacket
{
    QByteArray data;
    int durationSamples = 0; // at 48 kHz per channel (Ogg/Opus granule units)
    qint64 captureNs = 0;    // as PcmBlock::captureNs of the audio it holds
};

} // namespace veza::audio
