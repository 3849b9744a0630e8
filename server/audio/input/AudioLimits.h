#pragma once

#include <QString>
#include <QtGlobal>

namespace veza::audio {

// The shape of audio a source may decode to, whatever its container and codec claim. A source
// outside these limits is dropped: each decoded frame costs memory and CPU in proportion to its
// rate, channels and length, and a hostile source picks all three. Every limit is wider than
// any real broadcast needs. Free functions, any thread.
namespace AudioLimits {

// 8 kHz is the lowest rate of MP3 and of telephony; 192 kHz the highest studio rate.
constexpr int minSampleRate = 8000;
constexpr int maxSampleRate = 192000;
// 7.1 surround; everything beyond is downmixed to stereo at a cost per channel for nothing.
constexpr int maxChannels = 8;
// Samples per channel in one decoded frame. Opus stops at 5760 (120 ms), Vorbis at 4096, MP3
// at 1152, AAC at 2048; FLAC's streamable subset (what libFLAC and ffmpeg write, even at 192
// kHz) at 16384. Twice that is still 170 ms at 192 kHz, and a frame at most 1 MiB decoded
// (8 channels of 32-bit samples).
constexpr int maxFrameSamples = 32768;
// Source bytes the demuxer may read without handing out one audio packet: the largest FLAC
// frame within the limits above (1 MiB, uncompressed) with room for cover art in the tags.
// Beyond, a packet or tag that never ends would be buffered whole, growing without bound.
constexpr qsizetype maxBytesBetweenPackets = 2 * 1024 * 1024;

// Empty when a stream of this rate and channel count may be decoded, else why not:
// "sample rate 4000 Hz is outside 8000-192000 Hz", "16 channels: at most 8". A rate or count
// of 0 (not known yet) passes: the decoded frames will tell.
QString formatViolation(int sampleRate, int channels);
// The same for one decoded frame, also bounding its length: "a frame of 65535 samples: at
// most 32768".
QString frameViolation(int sampleRate, int channels, int samples);

} // namespace AudioLimits

} // namespace veza::audio
