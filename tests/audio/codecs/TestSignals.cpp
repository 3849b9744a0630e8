#include "TestSignals.h"

#include <cmath>
#include <numbers>

namespace veza::audio::test {

std::vector<PcmBlock> sineBlocks(double frequency, double seconds, std::span<const int> blockMs)
{
    std::vector<PcmBlock> blocks;
    const qint64 total = qint64(seconds * kSampleRate);
    const double step = 2 * std::numbers::pi * frequency / kSampleRate;
    qint64 position = 0;
    for (size_t i = 0; position < total; ++i) {
        const qint64 frames =
            qMin<qint64>(blockMs[i % blockMs.size()] * kSampleRate / 1000, total - position);
        PcmBlock block;
        block.captureNs = qint64(i) + 1;
        block.samples.reserve(size_t(frames) * kChannels);
        for (qint64 f = 0; f < frames; ++f) {
            const float v = float(0.5 * std::sin(step * double(position + f)));
            block.samples.push_back(v);
            block.samples.push_back(v);
        }
        position += frames;
        blocks.push_back(std::move(block));
    }
    return blocks;
}

namespace {

// Power of `frequency` in `window` (Goertzel), normalised by the window length.
double power(std::span<const float> window, double frequency)
{
    const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency / kSampleRate);
    double s1 = 0, s2 = 0;
    for (float x : window) {
        const double s0 = x + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    const double p = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    return p / double(window.size());
}

double strongest(std::span<const float> window, double from, double to, double step)
{
    double best = from, bestPower = -1;
    for (double f = from; f <= to; f += step) {
        if (const double p = power(window, f); p > bestPower) {
            bestPower = p;
            best = f;
        }
    }
    return best;
}

} // namespace

double dominantFrequency(std::span<const float> mono)
{
    if (mono.size() < size_t(kSampleRate))
        return 0;
    const auto second = mono.subspan((mono.size() - kSampleRate) / 2, kSampleRate);
    // 0.1 s resolves 10 Hz: enough to find the peak with a 5 Hz grid; 1 s then resolves 1 Hz.
    const double coarse = strongest(second.first(kSampleRate / 10), 50, 4000, 5);
    return strongest(second, coarse - 10, coarse + 10, 0.5);
}

} // namespace veza::audio::test
