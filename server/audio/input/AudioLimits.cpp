#include "audio/input/AudioLimits.h"

namespace veza::audio::AudioLimits {

QString formatViolation(int sampleRate, int channels)
{
    if (sampleRate != 0 && (sampleRate < minSampleRate || sampleRate > maxSampleRate))
        return QStringLiteral("sample rate %1 Hz is outside %2-%3 Hz")
            .arg(sampleRate)
            .arg(minSampleRate)
            .arg(maxSampleRate);
    if (channels > maxChannels)
        return QStringLiteral("%1 channels: at most %2").arg(channels).arg(maxChannels);
    return {};
}

QString frameViolation(int sampleRate, int channels, int samples)
{
    const QString format = formatViolation(sampleRate, channels);
    if (!format.isEmpty())
        return format;
    if (samples > maxFrameSamples)
        return QStringLiteral("a frame of %1 samples: at most %2")
            .arg(samples)
            .arg(maxFrameSamples);
    return {};
}

} // namespace veza::audio::AudioLimits
