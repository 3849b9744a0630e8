#pragma once

#include <QJsonObject>
#include <QString>
#include <optional>

namespace veza::audio {

// What the effects chain of one stream does; a plain value, edited through the HTTP API as JSON.
struct EffectSettings
{
    double gainDb = 0;     // -24..+24
    double highPassHz = 0; // 0 = off, else 20..500 (2nd-order Butterworth biquad)
    struct Compressor
    {
        bool enabled = false;
        double thresholdDb = -18; // -60..0
        double ratio = 4;         // 1..20
        double attackMs = 5;      // 0.1..200
        double releaseMs = 100;   // 10..2000
        double makeupDb = 0;      // 0..24
        bool operator==(const Compressor &) const = default;
    } compressor;
    struct Limiter
    {
        bool enabled = false;
        double ceilingDb = -1; // -12..0
        bool operator==(const Limiter &) const = default;
    } limiter;
    struct Loudness
    {
        bool enabled = false;
        double targetLufs = -16; // -36..-8
        bool operator==(const Loudness &) const = default;
    } loudness;
    bool mute = false;

    bool operator==(const EffectSettings &) const = default;

    // True when the chain changes the audio at all (the pipeline passes a source through
    // untouched only when false).
    bool active() const;
    QJsonObject toJson() const;
    // A PATCH: `patch` holds any subset of the JSON fields, nested objects partially too;
    // applied onto `base`. Unknown keys, wrong types, out-of-range values: std::nullopt and
    // *error names the field and the allowed range, e.g.
    // "compressor.ratio must be a number from 1 to 20".
    static std::optional<EffectSettings> merged(const EffectSettings &base,
                                                const QJsonObject &patch, QString *error);
};

} // namespace veza::audio
