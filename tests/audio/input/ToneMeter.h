#pragma once

#include "audio/AudioFormat.h"

#include <QtGlobal>
#include <cmath>
#include <numbers>
#include <vector>

// How strongly one frequency is present in a stretch of decoded PCM (Goertzel), so the tests
// can tell a 440 Hz tone from the same tone played at the wrong speed (220 or 880 Hz).
namespace veza::audio::test {

// Amplitude of `hz` in channel `channel` (0 = left) of interleaved stereo 48 kHz PCM between
// fromSeconds and toSeconds: 1.0 for a full-scale sine at exactly that frequency.
inline double toneAmplitude(const std::vector<float> &pcm, int channel, double fromSeconds,
                            double toSeconds, double hz)
{
    const qsizetype frames = qsizetype(pcm.size() / kChannels);
    const qsizetype first = qBound<qsizetype>(0, qsizetype(fromSeconds * kSampleRate), frames);
    const qsizetype last = qBound<qsizetype>(first, qsizetype(toSeconds * kSampleRate), frames);
    const qsizetype n = last - first;
    if (n == 0)
        return 0.0;
    const double coefficient = 2.0 * std::cos(2.0 * std::numbers::pi * hz / kSampleRate);
    double s1 = 0.0;
    double s2 = 0.0;
    for (qsizetype i = first; i < last; ++i) {
        const double s = pcm[size_t(i * kChannels + channel)] + coefficient * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    return 2.0 * std::sqrt(qMax(power, 0.0)) / double(n);
}

// `hz` is clearly there and its octaves below and above are at least 20 dB weaker.
inline bool toneDominates(const std::vector<float> &pcm, int channel, double fromSeconds,
                          double toSeconds, double hz)
{
    const double tone = toneAmplitude(pcm, channel, fromSeconds, toSeconds, hz);
    const double octaveDown = toneAmplitude(pcm, channel, fromSeconds, toSeconds, hz / 2);
    const double octaveUp = toneAmplitude(pcm, channel, fromSeconds, toSeconds, hz * 2);
    return tone > 0.02 && tone > 10.0 * qMax(octaveDown, octaveUp);
}

} // namespace veza::audio::test
