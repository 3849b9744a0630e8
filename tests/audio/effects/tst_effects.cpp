#include "TestSignals.h"
#include "audio/effects/EffectSettings.h"
#include "audio/effects/EffectsChain.h"
#include "audio/effects/LevelMeter.h"
#include "audio/effects/LoudnessMeter.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QtTest>
#include <atomic>
#include <bit>
#include <cstring>
#include <thread>

using namespace veza::audio;
using namespace veza::audio::test;

namespace {

// Runs a whole signal through the chain in 20 ms blocks and returns the output.
Samples run(EffectsChain &chain, const Samples &in, int blockFrames = 960)
{
    Samples out;
    out.reserve(in.size());
    for (PcmBlock &b : blocks(in, blockFrames)) {
        chain.process(b);
        out.insert(out.end(), b.samples.begin(), b.samples.end());
    }
    return out;
}

EffectSettings withGain(double db)
{
    EffectSettings s;
    s.gainDb = db;
    return s;
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

} // namespace

class TestEffects : public QObject
{
    Q_OBJECT

private slots:
    // --- EffectSettings ---
    void defaultsAreInactive();
    void eachEffectMakesSettingsActive_data();
    void eachEffectMakesSettingsActive();
    void partialNestedPatchKeepsOtherFields();
    void invalidPatchIsRefusedNamingTheField_data();
    void invalidPatchIsRefusedNamingTheField();
    void toJsonRoundTrips();

    // --- meters ---
    void levelMeterReadsFullScaleSine();
    void levelMeterReadsSilenceAsFloor();
    void levelMeterReadsEachChannel();
    void levelMeterWindowForgetsOldAudio();
    void loudnessMeterReadsEbuReferenceSine();
    void loudnessMeterReadsSilenceAsFloor();
    void loudnessMeterWindowIsThreeSeconds();

    // --- chain ---
    void defaultSettingsLeaveSamplesBitIdentical();
    void gainScalesAmplitude_data();
    void gainScalesAmplitude();
    void gainChangeIsRampedNotStepped();
    void highPassCutsLowsAndPassesHighs();
    void compressorReducesLoudSineByRatio();
    void compressorLeavesQuietSineUntouched();
    void limiterNeverExceedsCeiling();
    void limiterKeepsSineShape();
    void loudnessNormalisationReachesTarget();
    void loudnessNormalisationDoesNotBoostSilence();
    void muteGivesExactZeros();
    void settingsChangeAppliesInNextBlock();
    void settingsAndLevelsAreSafeAcrossThreads();
    void chainMeasuresInputAndOutput();
    void performanceWithEveryEffectOn();
};

void TestEffects::defaultsAreInactive()
{
    QVERIFY(!EffectSettings{}.active());
    EffectSettings tweakedButOff; // parameters of disabled effects change nothing
    tweakedButOff.compressor.ratio = 10;
    tweakedButOff.limiter.ceilingDb = -6;
    tweakedButOff.loudness.targetLufs = -23;
    QVERIFY(!tweakedButOff.active());
}

void TestEffects::eachEffectMakesSettingsActive_data()
{
    QTest::addColumn<QByteArray>("patch");
    QTest::newRow("gain") << QByteArray(R"({"gain_db": -3})");
    QTest::newRow("high-pass") << QByteArray(R"({"high_pass_hz": 80})");
    QTest::newRow("compressor") << QByteArray(R"({"compressor": {"enabled": true}})");
    QTest::newRow("limiter") << QByteArray(R"({"limiter": {"enabled": true}})");
    QTest::newRow("loudness") << QByteArray(R"({"loudness": {"enabled": true}})");
    QTest::newRow("mute") << QByteArray(R"({"mute": true})");
}

void TestEffects::eachEffectMakesSettingsActive()
{
    QFETCH(QByteArray, patch);
    QString error;
    const auto s = EffectSettings::merged({}, json(patch.constData()), &error);
    QVERIFY2(s, qPrintable(error));
    QVERIFY(s->active());
}

void TestEffects::partialNestedPatchKeepsOtherFields()
{
    EffectSettings base;
    base.gainDb = -2;
    base.compressor.ratio = 8;
    base.compressor.thresholdDb = -30;
    base.limiter.enabled = true;
    base.limiter.ceilingDb = -2;

    QString error;
    const auto s = EffectSettings::merged(
        base, json(R"({"compressor": {"enabled": true}, "gain_db": 3.5})"), &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->gainDb, 3.5);
    QVERIFY(s->compressor.enabled);
    QCOMPARE(s->compressor.ratio, 8.0);
    QCOMPARE(s->compressor.thresholdDb, -30.0);
    QCOMPARE(s->compressor.attackMs, base.compressor.attackMs);
    QCOMPARE(s->limiter, base.limiter);
    QCOMPARE(s->loudness, base.loudness);
    QCOMPARE(s->highPassHz, 0.0);

    // 0 switches the high-pass off again.
    const auto on = EffectSettings::merged(*s, json(R"({"high_pass_hz": 120})"), &error);
    QVERIFY(on && on->highPassHz == 120);
    const auto off = EffectSettings::merged(*on, json(R"({"high_pass_hz": 0})"), &error);
    QVERIFY(off && off->highPassHz == 0);
    // An empty patch changes nothing.
    QCOMPARE(EffectSettings::merged(base, QJsonObject(), &error), std::optional(base));
}

void TestEffects::invalidPatchIsRefusedNamingTheField_data()
{
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, const char *patch, const char *message) {
        QTest::newRow(name) << QByteArray(patch) << QString::fromUtf8(message);
    };
    row("gain too high", R"({"gain_db": 24.5})", "gain_db must be a number from -24 to 24");
    row("gain too low", R"({"gain_db": -25})", "gain_db must be a number from -24 to 24");
    row("gain as string", R"({"gain_db": "3"})", "gain_db must be a number from -24 to 24");
    row("gain null", R"({"gain_db": null})", "gain_db must be a number from -24 to 24");
    row("high-pass too low", R"({"high_pass_hz": 10})",
        "high_pass_hz must be 0 (off) or a number from 20 to 500");
    row("high-pass too high", R"({"high_pass_hz": 501})",
        "high_pass_hz must be 0 (off) or a number from 20 to 500");
    row("high-pass as bool", R"({"high_pass_hz": true})",
        "high_pass_hz must be 0 (off) or a number from 20 to 500");
    row("compressor not object", R"({"compressor": true})", "compressor must be an object");
    row("compressor enabled as number", R"({"compressor": {"enabled": 1}})",
        "compressor.enabled must be true or false");
    row("threshold too high", R"({"compressor": {"threshold_db": 1}})",
        "compressor.threshold_db must be a number from -60 to 0");
    row("threshold too low", R"({"compressor": {"threshold_db": -61}})",
        "compressor.threshold_db must be a number from -60 to 0");
    row("ratio too low", R"({"compressor": {"ratio": 0.5}})",
        "compressor.ratio must be a number from 1 to 20");
    row("ratio too high", R"({"compressor": {"ratio": 21}})",
        "compressor.ratio must be a number from 1 to 20");
    row("attack too short", R"({"compressor": {"attack_ms": 0.05}})",
        "compressor.attack_ms must be a number from 0.1 to 200");
    row("attack too long", R"({"compressor": {"attack_ms": 201}})",
        "compressor.attack_ms must be a number from 0.1 to 200");
    row("release too short", R"({"compressor": {"release_ms": 9}})",
        "compressor.release_ms must be a number from 10 to 2000");
    row("release too long", R"({"compressor": {"release_ms": 2001}})",
        "compressor.release_ms must be a number from 10 to 2000");
    row("makeup negative", R"({"compressor": {"makeup_db": -1}})",
        "compressor.makeup_db must be a number from 0 to 24");
    row("makeup too high", R"({"compressor": {"makeup_db": 25}})",
        "compressor.makeup_db must be a number from 0 to 24");
    row("compressor unknown key", R"({"compressor": {"knee_db": 6}})",
        "unknown field compressor.knee_db");
    row("limiter not object", R"({"limiter": [1]})", "limiter must be an object");
    row("limiter enabled as string", R"({"limiter": {"enabled": "yes"}})",
        "limiter.enabled must be true or false");
    row("ceiling above 0", R"({"limiter": {"ceiling_db": 0.5}})",
        "limiter.ceiling_db must be a number from -12 to 0");
    row("ceiling too low", R"({"limiter": {"ceiling_db": -13}})",
        "limiter.ceiling_db must be a number from -12 to 0");
    row("limiter unknown key", R"({"limiter": {"release_ms": 50}})",
        "unknown field limiter.release_ms");
    row("loudness not object", R"({"loudness": -16})", "loudness must be an object");
    row("loudness enabled null", R"({"loudness": {"enabled": null}})",
        "loudness.enabled must be true or false");
    row("target too low", R"({"loudness": {"target_lufs": -37}})",
        "loudness.target_lufs must be a number from -36 to -8");
    row("target too high", R"({"loudness": {"target_lufs": -7}})",
        "loudness.target_lufs must be a number from -36 to -8");
    row("loudness unknown key", R"({"loudness": {"target": -16}})",
        "unknown field loudness.target");
    row("mute as string", R"({"mute": "true"})", "mute must be true or false");
    row("unknown top-level key", R"({"volume": 3})", "unknown field volume");
    row("valid field then bad one", R"({"gain_db": 3, "limiter": {"ceiling_db": 2}})",
        "limiter.ceiling_db must be a number from -12 to 0");
}

void TestEffects::invalidPatchIsRefusedNamingTheField()
{
    QFETCH(QByteArray, patch);
    QFETCH(QString, message);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(patch, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QString error;
    QCOMPARE(EffectSettings::merged({}, doc.object(), &error), std::nullopt);
    QCOMPARE(error, message);
}

void TestEffects::toJsonRoundTrips()
{
    EffectSettings s;
    s.gainDb = -7.5;
    s.highPassHz = 90;
    s.compressor = {true, -24, 3.5, 12, 250, 4};
    s.limiter = {true, -1.5};
    s.loudness = {true, -23};
    s.mute = true;
    const QJsonObject object = s.toJson();
    QCOMPARE(object.value(u"gain_db").toDouble(), -7.5);
    QCOMPARE(object.value(u"compressor").toObject().value(u"release_ms").toDouble(), 250.0);
    QCOMPARE(object.value(u"loudness").toObject().value(u"target_lufs").toDouble(), -23.0);
    QString error;
    // Through text, as the HTTP API would send it.
    const QJsonObject reparsed = QJsonDocument::fromJson(QJsonDocument(object).toJson()).object();
    QCOMPARE(EffectSettings::merged({}, reparsed, &error), std::optional(s));
    QCOMPARE(EffectSettings::merged({}, EffectSettings{}.toJson(), &error),
             std::optional(EffectSettings{}));
}

void TestEffects::levelMeterReadsFullScaleSine()
{
    LevelMeter meter;
    for (const PcmBlock &b : blocks(sine(1.0, 1000, 0.0)))
        meter.add(b);
    const AudioLevels levels = meter.levels();
    QVERIFY2(std::fabs(levels.peakDbfs) <= 0.1, qPrintable(QString::number(levels.peakDbfs)));
    QVERIFY2(std::fabs(levels.rmsDbfs + 3.01) <= 0.2, qPrintable(QString::number(levels.rmsDbfs)));
}

void TestEffects::levelMeterReadsSilenceAsFloor()
{
    LevelMeter meter;
    QCOMPARE(meter.levels().peakDbfs, -120.0); // nothing yet
    QCOMPARE(meter.levels().rmsDbfs, -120.0);
    for (const PcmBlock &b : blocks(silence(0.5)))
        meter.add(b);
    QCOMPARE(meter.levels().peakDbfs, -120.0);
    QCOMPARE(meter.levels().rmsDbfs, -120.0);
}

// A stereo meter: the left channel at full scale, the right 20 dB below.
void TestEffects::levelMeterReadsEachChannel()
{
    LevelMeter meter;
    PcmBlock block;
    for (int frame = 0; frame < kSampleRate / 2; ++frame) {
        const float value = float(std::sin(2 * M_PI * 1000 * frame / kSampleRate));
        block.samples.push_back(value);
        block.samples.push_back(value / 10);
    }
    meter.add(block);
    const AudioLevels levels = meter.levels();
    QVERIFY2(std::fabs(levels.channels[0].peakDbfs) <= 0.1,
             qPrintable(QString::number(levels.channels[0].peakDbfs)));
    QVERIFY2(std::fabs(levels.channels[1].peakDbfs + 20) <= 0.1,
             qPrintable(QString::number(levels.channels[1].peakDbfs)));
    QVERIFY(std::fabs(levels.channels[0].rmsDbfs + 3.01) <= 0.2);
    QVERIFY(std::fabs(levels.channels[1].rmsDbfs + 23.01) <= 0.2);
    // Together: the loudest peak, the power of both.
    QVERIFY(std::fabs(levels.peakDbfs) <= 0.1);
    QVERIFY2(std::fabs(levels.rmsDbfs - 10 * std::log10((0.5 + 0.005) / 2)) <= 0.2,
             qPrintable(QString::number(levels.rmsDbfs)));
}

void TestEffects::levelMeterWindowForgetsOldAudio()
{
    LevelMeter meter;
    for (const PcmBlock &b : blocks(concat({sine(0.5, 1000, 0.0), sine(0.5, 1000, -20.0)})))
        meter.add(b);
    // The loud half-second ended 500 ms ago: only the -20 dBFS sine is in the ~300 ms window.
    QVERIFY2(std::fabs(meter.levels().peakDbfs + 20) <= 0.1,
             qPrintable(QString::number(meter.levels().peakDbfs)));
    // Odd block sizes slide the window the same way.
    LevelMeter oddBlocks;
    for (const PcmBlock &b : blocks(concat({sine(0.5, 1000, 0.0), sine(0.5, 1000, -20.0)}), 333))
        oddBlocks.add(b);
    QVERIFY(std::fabs(oddBlocks.levels().peakDbfs + 20) <= 0.1);
}

void TestEffects::loudnessMeterReadsEbuReferenceSine()
{
    // EBU Tech 3341 case 1: a 1 kHz stereo sine at -23 dBFS reads -23 LUFS.
    LoudnessMeter meter;
    for (const PcmBlock &b : blocks(sine(5.0, 1000, -23.0)))
        meter.add(b);
    QVERIFY2(std::fabs(meter.shortTermLufs() + 23) <= 0.5,
             qPrintable(QString::number(meter.shortTermLufs())));

    LoudnessMeter louder;
    for (const PcmBlock &b : blocks(sine(5.0, 1000, -20.0)))
        louder.add(b);
    QVERIFY2(std::fabs(louder.shortTermLufs() + 20) <= 0.5,
             qPrintable(QString::number(louder.shortTermLufs())));
}

void TestEffects::loudnessMeterReadsSilenceAsFloor()
{
    LoudnessMeter meter;
    QCOMPARE(meter.shortTermLufs(), -120.0);
    for (const PcmBlock &b : blocks(silence(4.0)))
        meter.add(b);
    QCOMPARE(meter.shortTermLufs(), -120.0);
}

void TestEffects::loudnessMeterWindowIsThreeSeconds()
{
    LoudnessMeter meter;
    for (const PcmBlock &b : blocks(sine(3.0, 1000, -20.0)))
        meter.add(b);
    // 1.5 s later the window holds half of each: the mean of their energies.
    for (const PcmBlock &b : blocks(sine(1.5, 1000, -30.0), 333))
        meter.add(b);
    const double half = 10 * std::log10((std::pow(10, -2.0) + std::pow(10, -3.0)) / 2);
    QVERIFY2(std::fabs(meter.shortTermLufs() - half) <= 0.5,
             qPrintable(QStringLiteral("%1, expected %2").arg(meter.shortTermLufs()).arg(half)));
    // After 3 s more, the -20 dBFS part has left the window entirely.
    for (const PcmBlock &b : blocks(sine(3.0, 1000, -30.0)))
        meter.add(b);
    QVERIFY2(std::fabs(meter.shortTermLufs() + 30) <= 0.5,
             qPrintable(QString::number(meter.shortTermLufs())));
}

void TestEffects::defaultSettingsLeaveSamplesBitIdentical()
{
    const Samples in = noise(1.0, -3.0);
    EffectsChain chain;
    const Samples out = run(chain, in);
    QCOMPARE(out.size(), in.size());
    QVERIFY(std::memcmp(out.data(), in.data(), in.size() * sizeof(float)) == 0);

    // After an effect is switched off again, the chain returns to an exact pass-through
    // (once the gain has ramped back over one block).
    EffectsChain toggled;
    toggled.setSettings(withGain(6));
    run(toggled, noise(0.2, -10.0, 2));
    toggled.setSettings(EffectSettings{});
    run(toggled, noise(0.02, -10.0, 3));
    const Samples again = run(toggled, in);
    QVERIFY(std::memcmp(again.data(), in.data(), in.size() * sizeof(float)) == 0);
}

void TestEffects::gainScalesAmplitude_data()
{
    QTest::addColumn<double>("gainDb");
    QTest::addColumn<double>("factor");
    QTest::newRow("+6 dB doubles") << 6.0 << 2.0;
    QTest::newRow("-6 dB halves") << -6.0 << 0.5;
}

void TestEffects::gainScalesAmplitude()
{
    QFETCH(double, gainDb);
    QFETCH(double, factor);
    const Samples in = sine(0.5, 440, -12.0);
    EffectsChain chain;
    chain.setSettings(withGain(gainDb));
    const Samples out = run(chain, in);
    for (size_t i = 0; i < in.size(); ++i) {
        if (std::fabs(in[i]) < 0.01f)
            continue;
        const double ratio = out[i] / in[i];
        if (std::fabs(ratio / factor - 1) > 0.01)
            QFAIL(qPrintable(QStringLiteral("sample %1: ratio %2").arg(i).arg(ratio)));
    }
}

void TestEffects::gainChangeIsRampedNotStepped()
{
    const Samples in = sine(0.1, 1000, -20.0);
    EffectsChain chain;
    std::vector<PcmBlock> parts = blocks(in);
    chain.process(parts[0]);
    chain.setSettings(withGain(12));
    chain.process(parts[1]);
    // Across the block the gain climbs steadily from 0 dB to +12 dB instead of jumping.
    const Samples input = blocks(in)[1].samples;
    const Samples &output = parts[1].samples;
    double previousGain = 1.0;
    for (size_t i = 0; i < input.size(); i += 2) {
        if (std::fabs(input[i]) < 0.01f)
            continue;
        const double gain = output[i] / input[i];
        QVERIFY2(gain >= previousGain - 1e-4 && gain - previousGain < 0.1,
                 qPrintable(QStringLiteral("frame %1 gain %2 after %3")
                                .arg(i / 2)
                                .arg(gain)
                                .arg(previousGain)));
        previousGain = gain;
    }
    QVERIFY(std::fabs(previousGain / amplitude(12) - 1) < 0.01); // the target by the block's end
}

void TestEffects::highPassCutsLowsAndPassesHighs()
{
    EffectSettings s;
    s.highPassHz = 200;
    EffectsChain lows;
    lows.setSettings(s);
    const Samples low = run(lows, sine(1.0, 50, -6.0));
    const double lowDb = dbfs(peak(slice(low, 0.5, 1.0))) + 6; // relative to the input
    QVERIFY2(lowDb < -12, qPrintable(QStringLiteral("50 Hz at %1 dB").arg(lowDb)));

    EffectsChain highs;
    highs.setSettings(s);
    const Samples high = run(highs, sine(1.0, 1000, -6.0));
    const double highDb = dbfs(peak(slice(high, 0.5, 1.0))) + 6;
    QVERIFY2(std::fabs(highDb) < 1, qPrintable(QStringLiteral("1 kHz at %1 dB").arg(highDb)));
}

void TestEffects::compressorReducesLoudSineByRatio()
{
    EffectSettings s;
    s.compressor.enabled = true;
    s.compressor.thresholdDb = -20;
    s.compressor.ratio = 4;
    EffectsChain chain;
    chain.setSettings(s);
    const Samples out = run(chain, sine(1.5, 1000, -4.0));
    // 16 dB over the threshold at 4:1 leaves 4 dB over it.
    const double outDb = dbfs(peak(slice(out, 1.0, 1.5)));
    QVERIFY2(std::fabs(outDb + 16) <= 1.5,
             qPrintable(QStringLiteral("output peak %1 dBFS").arg(outDb)));

    // Make-up gain lifts the compressed signal.
    s.compressor.makeupDb = 6;
    EffectsChain madeUp;
    madeUp.setSettings(s);
    const double madeUpDb = dbfs(peak(slice(run(madeUp, sine(1.5, 1000, -4.0)), 1.0, 1.5)));
    QVERIFY2(std::fabs(madeUpDb - outDb - 6) <= 0.2, qPrintable(QString::number(madeUpDb)));
}

void TestEffects::compressorLeavesQuietSineUntouched()
{
    EffectSettings s;
    s.compressor.enabled = true;
    s.compressor.thresholdDb = -20;
    s.compressor.ratio = 4;
    EffectsChain chain;
    chain.setSettings(s);
    const Samples out = run(chain, sine(1.0, 1000, -30.0));
    const double outDb = dbfs(peak(slice(out, 0.5, 1.0)));
    QVERIFY2(std::fabs(outDb + 30) <= 0.5,
             qPrintable(QStringLiteral("output peak %1 dBFS").arg(outDb)));
}

void TestEffects::limiterNeverExceedsCeiling()
{
    EffectSettings s;
    s.gainDb = 6;
    s.limiter.enabled = true;
    s.limiter.ceilingDb = -3;
    EffectsChain chain;
    chain.setSettings(s);
    // Steady full scale, then sudden onsets out of silence and full-scale noise: +6 dB over 0 dBFS.
    const Samples in = concat({sine(0.5, 1000, 0.0), silence(0.3), sine(0.2, 3000, 0.0),
                               silence(0.1), noise(0.5, 0.0), silence(0.05), sine(0.3, 60, 0.0)});
    const Samples out = run(chain, in, 480);
    const auto ceiling = static_cast<float>(amplitude(-3));
    for (size_t i = 0; i < out.size(); ++i) {
        if (std::fabs(out[i]) > ceiling)
            QFAIL(qPrintable(
                QStringLiteral("sample %1 at %2 dBFS").arg(i).arg(dbfs(std::fabs(out[i])))));
    }
    // ... and it limits rather than silences: the loud parts sit right at the ceiling.
    QVERIFY2(dbfs(peak(slice(out, 0.2, 0.5))) > -3.3, qPrintable(QString::number(dbfs(peak(out)))));
}

void TestEffects::limiterKeepsSineShape()
{
    EffectSettings s;
    s.gainDb = 6;
    s.limiter.enabled = true;
    s.limiter.ceilingDb = -3;
    EffectsChain chain;
    chain.setSettings(s);
    const Samples steady = slice(run(chain, sine(1.0, 1000, 0.0)), 0.5, 1.0);
    // Gain reduction, not clipping: a sine's crest factor (3.01 dB) survives; a clipped sine
    // would have a much lower one.
    const double crestDb = dbfs(peak(steady)) - dbfs(rms(steady));
    QVERIFY2(std::fabs(crestDb - 3.01) < 0.2,
             qPrintable(QStringLiteral("crest %1 dB").arg(crestDb)));
}

void TestEffects::loudnessNormalisationReachesTarget()
{
    EffectSettings s;
    s.loudness.enabled = true;
    s.loudness.targetLufs = -16;
    EffectsChain chain;
    chain.setSettings(s);
    LoudnessMeter outputLoudness;
    double reachedAt = -1;
    double seconds = 0;
    for (PcmBlock &b : blocks(sine(20.0, 1000, -30.0))) { // -30 LUFS
        chain.process(b);
        outputLoudness.add(b);
        seconds += static_cast<double>(b.frames()) / kSampleRate;
        if (reachedAt < 0 && std::fabs(outputLoudness.shortTermLufs() + 16) <= 1)
            reachedAt = seconds;
    }
    qInfo("loudness normalisation: -30 LUFS input within 1 LU of -16 after %.1f s", reachedAt);
    QVERIFY2(std::fabs(chain.inputShortTermLufs() + 30) <= 0.5,
             qPrintable(QString::number(chain.inputShortTermLufs())));
    QVERIFY2(std::fabs(outputLoudness.shortTermLufs() + 16) <= 1,
             qPrintable(QStringLiteral("output %1 LUFS").arg(outputLoudness.shortTermLufs())));
}

void TestEffects::loudnessNormalisationDoesNotBoostSilence()
{
    EffectSettings s;
    s.loudness.enabled = true;
    s.loudness.targetLufs = -16;
    EffectsChain chain;
    chain.setSettings(s);
    // Near-silence (a -70 dBFS hum, below the -50 LUFS gate) must not be pulled up to -16.
    const Samples hum = run(chain, sine(10.0, 1000, -70.0));
    const double humDb = dbfs(peak(slice(hum, 9.0, 10.0)));
    QVERIFY2(std::fabs(humDb + 70) <= 0.5, qPrintable(QStringLiteral("hum at %1 dBFS").arg(humDb)));

    // After a silent gap, the next song does not start with a gain raised during the silence.
    EffectsChain gap;
    gap.setSettings(s);
    const Samples out = run(gap, concat({silence(8.0), sine(0.1, 1000, -16.0)}));
    const double songDb = dbfs(peak(slice(out, 8.0, 8.1)));
    QVERIFY2(std::fabs(songDb + 16) <= 0.5,
             qPrintable(QStringLiteral("song at %1 dBFS").arg(songDb)));
}

void TestEffects::muteGivesExactZeros()
{
    EffectSettings muted;
    muted.mute = true;
    EffectsChain fromStart;
    fromStart.setSettings(muted);
    for (float v : run(fromStart, noise(0.2, 0.0)))
        QCOMPARE(v, 0.0f);

    // Muting a running stream fades over one block, then gives exact zeros.
    EffectsChain running;
    run(running, noise(0.1, -6.0));
    running.setSettings(muted);
    std::vector<PcmBlock> parts = blocks(noise(0.2, -6.0, 5));
    running.process(parts[0]);
    QVERIFY(peak(slice(parts[0].samples, 0, 0.001)) > 0.1); // starts at full level: no click
    for (size_t i = 1; i < parts.size(); ++i) {
        running.process(parts[i]);
        for (float v : parts[i].samples)
            QCOMPARE(std::bit_cast<quint32>(v), 0u); // +0.0f, not -0.0f
    }
}

void TestEffects::settingsChangeAppliesInNextBlock()
{
    EffectsChain chain;
    std::vector<PcmBlock> parts = blocks(sine(0.1, 440, -12.0)); // 5 blocks of 20 ms
    const std::vector<PcmBlock> original = parts;
    chain.process(parts[0]);
    // Another thread (as the HTTP API would) changes the settings between two blocks.
    std::thread api([&] { chain.setSettings(withGain(-6)); });
    api.join();
    QCOMPARE(chain.settings(), withGain(-6));
    chain.process(parts[1]); // ramps to the new gain by its end
    chain.process(parts[2]); // fully at the new gain: 40 ms after the change
    const auto ratioAtEnd = [&](int i) {
        const size_t last = parts[i].samples.size() - 2;
        return parts[i].samples[last] / original[i].samples[last];
    };
    QVERIFY(std::fabs(ratioAtEnd(0) - 1) < 1e-6);
    QVERIFY(std::fabs(ratioAtEnd(1) / 0.5 - 1) < 0.01);
    for (size_t i = 0; i < parts[2].samples.size(); ++i) {
        if (std::fabs(original[2].samples[i]) > 0.01f)
            QVERIFY(std::fabs(parts[2].samples[i] / original[2].samples[i] / 0.5 - 1) < 0.01);
    }
}

void TestEffects::settingsAndLevelsAreSafeAcrossThreads()
{
    // The HTTP API and the monitor touch the chain while the pipeline thread runs it.
    EffectsChain chain;
    std::atomic<bool> done = false;
    std::atomic<bool> sawNonFinite = false; // QVERIFY only on the test thread
    std::thread other([&] {
        for (int i = 0; !done.load(); ++i) {
            EffectSettings s = withGain(i % 2 ? -6 : 6);
            s.compressor.enabled = i % 3 == 0;
            s.limiter.enabled = i % 5 == 0;
            chain.setSettings(s);
            const AudioLevels levels = chain.outputLevels();
            if (!std::isfinite(levels.peakDbfs) || !std::isfinite(levels.rmsDbfs) ||
                !std::isfinite(chain.inputShortTermLufs()))
                sawNonFinite = true;
            std::this_thread::yield();
        }
    });
    const Samples out = run(chain, noise(2.0, -12.0), 240);
    done = true;
    other.join();
    QVERIFY(!sawNonFinite);
    for (float v : out)
        QVERIFY(std::isfinite(v) && std::fabs(v) < 1.0f);
    // Whatever came last applies to the next blocks.
    chain.setSettings(withGain(-6));
    const Samples in = sine(0.1, 1000, -12.0);
    const Samples settled = slice(run(chain, in), 0.04, 0.1);
    QVERIFY2(std::fabs(dbfs(peak(settled)) + 18) <= 0.1,
             qPrintable(QString::number(dbfs(peak(settled)))));
}

void TestEffects::chainMeasuresInputAndOutput()
{
    EffectsChain chain;
    QCOMPARE(chain.inputLevels().peakDbfs, -120.0);
    QCOMPARE(chain.outputLevels().rmsDbfs, -120.0);
    QCOMPARE(chain.inputShortTermLufs(), -120.0);
    // Measured even when nothing is active ...
    run(chain, sine(3.5, 1000, -23.0));
    QVERIFY(std::fabs(chain.inputLevels().peakDbfs + 23) <= 0.1);
    QVERIFY(std::fabs(chain.outputLevels().peakDbfs + 23) <= 0.1);
    QVERIFY(std::fabs(chain.inputShortTermLufs() + 23) <= 0.5);
    // ... and the output side sees the effects.
    chain.setSettings(withGain(-10));
    run(chain, sine(0.5, 1000, -23.0));
    QVERIFY(std::fabs(chain.inputLevels().peakDbfs + 23) <= 0.1);
    QVERIFY2(std::fabs(chain.outputLevels().peakDbfs + 33) <= 0.1,
             qPrintable(QString::number(chain.outputLevels().peakDbfs)));
    QVERIFY(std::fabs(chain.outputLevels().rmsDbfs + 36.01) <= 0.2);
}

void TestEffects::performanceWithEveryEffectOn()
{
    EffectSettings s;
    s.gainDb = 3;
    s.highPassHz = 80;
    s.compressor = {true, -24, 4, 5, 100, 3};
    s.limiter = {true, -1};
    s.loudness = {true, -16};
    EffectsChain chain;
    chain.setSettings(s);
    // Music-like: a bass line and a melody under noise, varying level.
    Samples in;
    for (int second = 0; second < 60; ++second) {
        Samples part = sine(1.0, 55.0 * (1 + second % 4), -12.0 - second % 7);
        const Samples melody = sine(1.0, 440.0 + 20 * (second % 5), -18.0);
        const Samples hiss = noise(1.0, -30.0, static_cast<unsigned>(second));
        for (size_t i = 0; i < part.size(); ++i)
            part[i] += melody[i] + hiss[i];
        in.insert(in.end(), part.begin(), part.end());
    }
    std::vector<PcmBlock> parts = blocks(in);
    QElapsedTimer timer;
    timer.start();
    for (PcmBlock &b : parts)
        chain.process(b);
    const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    qInfo("EffectsChain::process, every effect on: %.1f ms for 60 s of stereo audio "
          "(%.2f%% of one core per stream, %.0fx real time)",
          ms, ms / 600.0, 60000.0 / ms);
    QVERIFY(chain.outputLevels().peakDbfs <= -1.0 + 1e-6);
}

QTEST_GUILESS_MAIN(TestEffects)
#include "tst_effects.moc"
