#pragma once

#include "audio/AudioFormat.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

// Test audio built in memory: interleaved stereo float at 48 kHz, both channels alike.
namespace veza::audio::test {

using Samples = std::vector<float>;

inline double dbfs(double amplitude)
{
    return 20.0 * std::log10(amplitude);
}

inline double amplitude(double dbfs)
{
    return std::pow(10.0, dbfs / 20.0);
}

inline Samples sine(double seconds, double hz, double peakDbfs)
{
    const int frames = static_cast<int>(seconds * kSampleRate);
    const double a = amplitude(peakDbfs);
    Samples out(static_cast<size_t>(frames) * kChannels);
    for (int i = 0; i < frames; ++i) {
        const auto v =
            static_cast<float>(a * std::sin(2 * std::numbers::pi * hz * i / kSampleRate));
        out[2 * i] = out[2 * i + 1] = v;
    }
    return out;
}

inline Samples silence(double seconds)
{
    return Samples(static_cast<size_t>(seconds * kSampleRate) * kChannels, 0.0f);
}

// Uniform white noise, independent channels, fixed seed (deterministic).
inline Samples noise(double seconds, double peakDbfs, unsigned seed = 1)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    const auto a = static_cast<float>(amplitude(peakDbfs));
    Samples out(static_cast<size_t>(seconds * kSampleRate) * kChannels);
    for (float &s : out)
        s = a * dist(rng);
    return out;
}

inline Samples concat(std::initializer_list<Samples> parts)
{
    Samples out;
    for (const Samples &p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Frames [fromSeconds, toSeconds) of a signal.
inline Samples slice(const Samples &s, double fromSeconds, double toSeconds)
{
    const auto from = static_cast<size_t>(fromSeconds * kSampleRate) * kChannels;
    const auto to = std::min(s.size(), static_cast<size_t>(toSeconds * kSampleRate) * kChannels);
    return Samples(s.begin() + static_cast<std::ptrdiff_t>(from),
                   s.begin() + static_cast<std::ptrdiff_t>(to));
}

inline double peak(const Samples &s)
{
    float p = 0;
    for (float v : s)
        p = std::max(p, std::fabs(v));
    return p;
}

inline double rms(const Samples &s)
{
    double sum = 0;
    for (float v : s)
        sum += static_cast<double>(v) * v;
    return std::sqrt(sum / static_cast<double>(s.size()));
}

// Splits a signal into PcmBlocks of `blockFrames` (20 ms by default, as the pipeline does).
inline std::vector<PcmBlock> blocks(const Samples &s, int blockFrames = 960)
{
    std::vector<PcmBlock> out;
    const size_t step = static_cast<size_t>(blockFrames) * kChannels;
    for (size_t at = 0; at < s.size(); at += step) {
        PcmBlock block;
        block.samples.assign(s.begin() + static_cast<std::ptrdiff_t>(at),
                             s.begin() +
                                 static_cast<std::ptrdiff_t>(std::min(s.size(), at + step)));
        out.push_back(std::move(block));
    }
    return out;
}

inline PcmBlock block(const Samples &s)
{
    PcmBlock b;
    b.samples = s;
    return b;
}

} // namespace veza::audio::test
