#pragma once

namespace veza::audio {

// 2nd-order Butterworth high-pass (RBJ biquad) on interleaved stereo at 48 kHz.
// Coefficients are computed in configure(), not per sample; state is double so low cut-offs
// (20 Hz is a pole very close to the unit circle) stay accurate.
class HighPassFilter
{
public:
    void configure(double cutoffHz);
    void reset();
    void process(float *samples, int frames);

private:
    struct ChannelState
    {
        double z1 = 0;
        double z2 = 0;
    };

    double b0_ = 1, b1_ = 0, b2_ = 0, a1_ = 0, a2_ = 0;
    ChannelState state_[2];
};

} // namespace veza::audio
