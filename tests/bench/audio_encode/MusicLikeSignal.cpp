#include "MusicLikeSignal.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace veza::audio::bench {

namespace {

// Fixed-seed LCG: the same noise on every run, so runs compare.
class Noise
{
public:
    float next()
    {
        m_state = m_state * 6364136223846793005ull + 1442695040888963407ull;
        return float(double(m_state >> 40) / double(1ull << 24) * 2.0 - 1.0);
    }

private:
    uint64_t m_state = 0x2545f4914f6cdd1dull;
};

double midiHz(int note)
{
    return 440.0 * std::pow(2.0, (note - 69) / 12.0);
}

} // namespace

std::vector<PcmBlock> musicLikeBlocks(int seconds, int blockMs)
{
    // A minor pentatonic walk: root notes of the half-second chords.
    static constexpr std::array<int, 8> kRoots{57, 60, 62, 64, 67, 64, 62, 60};
    constexpr double kTwoPi = 2 * std::numbers::pi;
    constexpr int kChordFrames = kSampleRate / 2;

    const int64_t total = int64_t(seconds) * kSampleRate;
    const int blockFrames = blockMs * kSampleRate / 1000;
    std::vector<PcmBlock> blocks;
    blocks.reserve(size_t(total / blockFrames + 1));
    Noise noise;
    std::array<double, 4> phase{}; // bass, chord third, chord fifth, melody

    PcmBlock block;
    for (int64_t n = 0; n < total; ++n) {
        const int chord = int(n / kChordFrames);
        const int root = kRoots[size_t(chord) % kRoots.size()];
        const std::array<double, 4> hz{midiHz(root - 12), midiHz(root + 3), midiHz(root + 7),
                                       midiHz(root + 12 + 2 * (chord % 3))};
        for (size_t v = 0; v < phase.size(); ++v)
            phase[v] = std::fmod(phase[v] + kTwoPi * hz[v] / kSampleRate, kTwoPi);

        const double t = double(n) / kSampleRate;
        const double tremolo = 0.8 + 0.2 * std::sin(kTwoPi * 5 * t);
        const double inChord = double(n % kChordFrames) / kChordFrames; // 0..1 through the chord
        const double decay = std::exp(-3 * inChord);
        // Hi-hat: a short noise burst every eighth of a second.
        const double hat = std::exp(-60 * std::fmod(t, 0.125)) * 0.15;

        const double bass = 0.30 * std::sin(phase[0]) * decay;
        const double pad = 0.12 * (std::sin(phase[1]) + std::sin(phase[2])) * tremolo;
        const double lead = 0.18 * std::sin(phase[3]) * decay;
        const double hiss = 0.01 * noise.next();
        block.samples.push_back(float(bass + pad + 0.8 * lead + hat * noise.next() + hiss));
        block.samples.push_back(float(bass + 0.8 * pad + lead + hat * noise.next() + hiss));

        if (block.frames() == blockFrames || n + 1 == total) {
            block.captureNs = int64_t(blocks.size()) * blockMs * 1'000'000;
            blocks.push_back(std::move(block));
            block = PcmBlock{};
        }
    }
    return blocks;
}

} // namespace veza::audio::bench
