#include "audio/effects/EffectSettings.h"

#include <QJsonValue>
#include <initializer_list>

namespace veza::audio {

namespace {

// Written so that NaN (possible in a QJsonObject built in code) is out of range too.
bool inRange(const QJsonValue &value, double min, double max)
{
    return value.isDouble() && value.toDouble() >= min && value.toDouble() <= max;
}

// Applies one JSON object level of a patch onto fields; keeps the first error, naming the field
// by its full path ("compressor.ratio").
class PatchReader
{
public:
    PatchReader(const QJsonObject &object, QString prefix)
        : object_(object)
        , prefix_(std::move(prefix))
    {
    }

    bool onlyKnownKeys(std::initializer_list<const char *> known)
    {
        for (auto it = object_.begin(); it != object_.end(); ++it) {
            bool found = false;
            for (const char *key : known)
                found = found || it.key() == QLatin1String(key);
            if (!found)
                return fail(QStringLiteral("unknown field ") + path(it.key()));
        }
        return true;
    }

    bool number(const char *key, double min, double max, double &target)
    {
        const QJsonValue value = object_.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        if (!inRange(value, min, max))
            return fail(path(key) + QStringLiteral(" must be a number from ") +
                        QString::number(min) + QStringLiteral(" to ") + QString::number(max));
        target = value.toDouble();
        return true;
    }

    // 0 switches the effect off; anything else must lie in min..max.
    bool numberOrOff(const char *key, double min, double max, double &target)
    {
        const QJsonValue value = object_.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        if (value.isDouble() && value.toDouble() == 0) {
            target = 0;
            return true;
        }
        if (!inRange(value, min, max))
            return fail(path(key) + QStringLiteral(" must be 0 (off) or a number from ") +
                        QString::number(min) + QStringLiteral(" to ") + QString::number(max));
        target = value.toDouble();
        return true;
    }

    bool boolean(const char *key, bool &target)
    {
        const QJsonValue value = object_.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        if (!value.isBool())
            return fail(path(key) + QStringLiteral(" must be true or false"));
        target = value.toBool();
        return true;
    }

    // Reads a nested object (absent is fine) with `apply(PatchReader &)`.
    template <typename Apply> bool nested(const char *key, Apply apply)
    {
        const QJsonValue value = object_.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        if (!value.isObject())
            return fail(path(key) + QStringLiteral(" must be an object"));
        const QJsonObject inner = value.toObject();
        PatchReader reader(inner, path(key));
        return apply(reader) || fail(reader.error());
    }

    QString error() const { return error_; }

private:
    QString path(const QString &key) const
    {
        return prefix_.isEmpty() ? key : prefix_ + QLatin1Char('.') + key;
    }
    QString path(const char *key) const { return path(QString::fromLatin1(key)); }

    bool fail(const QString &message)
    {
        if (error_.isEmpty())
            error_ = message;
        return false;
    }

    const QJsonObject &object_;
    QString prefix_;
    QString error_;
};

bool applyCompressor(PatchReader &in, EffectSettings::Compressor &c)
{
    return in.onlyKnownKeys(
               {"enabled", "threshold_db", "ratio", "attack_ms", "release_ms", "makeup_db"}) &&
           in.boolean("enabled", c.enabled) && in.number("threshold_db", -60, 0, c.thresholdDb) &&
           in.number("ratio", 1, 20, c.ratio) && in.number("attack_ms", 0.1, 200, c.attackMs) &&
           in.number("release_ms", 10, 2000, c.releaseMs) &&
           in.number("makeup_db", 0, 24, c.makeupDb);
}

bool applyLimiter(PatchReader &in, EffectSettings::Limiter &l)
{
    return in.onlyKnownKeys({"enabled", "ceiling_db"}) && in.boolean("enabled", l.enabled) &&
           in.number("ceiling_db", -12, 0, l.ceilingDb);
}

bool applyLoudness(PatchReader &in, EffectSettings::Loudness &l)
{
    return in.onlyKnownKeys({"enabled", "target_lufs"}) && in.boolean("enabled", l.enabled) &&
           in.number("target_lufs", -36, -8, l.targetLufs);
}

} // namespace

bool EffectSettings::active() const
{
    return gainDb != 0 || highPassHz > 0 || compressor.enabled || limiter.enabled ||
           loudness.enabled || mute;
}

QJsonObject EffectSettings::toJson() const
{
    return QJsonObject{
        {QStringLiteral("gain_db"), gainDb},
        {QStringLiteral("high_pass_hz"), highPassHz},
        {QStringLiteral("compressor"),
         QJsonObject{{QStringLiteral("enabled"), compressor.enabled},
                     {QStringLiteral("threshold_db"), compressor.thresholdDb},
                     {QStringLiteral("ratio"), compressor.ratio},
                     {QStringLiteral("attack_ms"), compressor.attackMs},
                     {QStringLiteral("release_ms"), compressor.releaseMs},
                     {QStringLiteral("makeup_db"), compressor.makeupDb}}},
        {QStringLiteral("limiter"), QJsonObject{{QStringLiteral("enabled"), limiter.enabled},
                                                {QStringLiteral("ceiling_db"), limiter.ceilingDb}}},
        {QStringLiteral("loudness"),
         QJsonObject{{QStringLiteral("enabled"), loudness.enabled},
                     {QStringLiteral("target_lufs"), loudness.targetLufs}}},
        {QStringLiteral("mute"), mute},
    };
}

std::optional<EffectSettings> EffectSettings::merged(const EffectSettings &base,
                                                     const QJsonObject &patch, QString *error)
{
    EffectSettings result = base;
    PatchReader in(patch, QString());
    const bool ok =
        in.onlyKnownKeys(
            {"gain_db", "high_pass_hz", "compressor", "limiter", "loudness", "mute"}) &&
        in.number("gain_db", -24, 24, result.gainDb) &&
        in.numberOrOff("high_pass_hz", 20, 500, result.highPassHz) &&
        in.boolean("mute", result.mute) &&
        in.nested("compressor",
                  [&](PatchReader &c) { return applyCompressor(c, result.compressor); }) &&
        in.nested("limiter", [&](PatchReader &l) { return applyLimiter(l, result.limiter); }) &&
        in.nested("loudness", [&](PatchReader &l) { return applyLoudness(l, result.loudness); });
    if (ok)
        return result;
    if (error)
        *error = in.error();
    return std::nullopt;
}

} // namespace veza::audio
