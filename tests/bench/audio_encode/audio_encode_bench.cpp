// audio_encode_bench: how much of one CPU core each rendition of the encoder ladder needs to keep
// up with live audio, and the whole ladder together (what one live stream costs the server).
//
//   audio_encode_bench [--seconds N] [--complexity C]
//
// Encodes N seconds (default 60) of synthetic music in 20 ms blocks, as a live source delivers
// it, and times each encoder with the thread's CPU clock. Ends with one line
// "RESULT audio_encode key=value ..." for scripts.
#include "MusicLikeSignal.h"
#include "audio/AvAudioEncoder.h"
#include "audio/OpusFrameEncoder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstdio>
#include <ctime>
#include <string>

using namespace veza::audio;

namespace {

constexpr int kBlockMs = 20;

double threadCpuSeconds()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

struct Measured
{
    double cpuSeconds = 0;
    qint64 bytes = 0;
};

template <typename Encoder> Measured run(Encoder &encoder, const std::vector<PcmBlock> &blocks)
{
    Measured m;
    const double start = threadCpuSeconds();
    for (const PcmBlock &block : blocks) {
        for (const EncodedPacket &packet : encoder.encode(block))
            m.bytes += packet.data.size(); // also keeps the work from being optimised away
    }
    m.cpuSeconds = threadCpuSeconds() - start;
    return m;
}

// Runs one rendition's encoder; an encoder that could not be set up is a failure.
template <typename Encoder>
bool measure(Encoder &encoder, const std::vector<PcmBlock> &blocks, Measured *out)
{
    if (!encoder.isValid()) {
        std::fprintf(stderr, "encoder: %s\n", qPrintable(encoder.error()));
        return false;
    }
    *out = run(encoder, blocks);
    return true;
}

struct Row
{
    std::string key; // RESULT field prefix
    std::string label;
    Measured m;
};

void printRow(const char *label, const Measured &m, int seconds)
{
    const double corePct = m.cpuSeconds / seconds * 100;
    const double xrt = m.cpuSeconds > 0 ? seconds / m.cpuSeconds : 0;
    std::printf("%-12s %9.3f %9.2f %11.1f", label, m.cpuSeconds, corePct, xrt);
    if (m.bytes > 0)
        std::printf(" %9.1f", double(m.bytes) * 8 / seconds / 1000);
    std::printf("\n");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("CPU cost of the audio encoder ladder for real-time streaming."));
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("Seconds of audio to encode (60)."),
                                           QStringLiteral("N"), QStringLiteral("60"));
    const QCommandLineOption complexityOption(QStringLiteral("complexity"),
                                              QStringLiteral("Opus complexity 0..10 (5)."),
                                              QStringLiteral("C"), QStringLiteral("5"));
    parser.addOptions({secondsOption, complexityOption});
    parser.process(app);

    bool secondsOk = false, complexityOk = false;
    const int seconds = parser.value(secondsOption).toInt(&secondsOk);
    const int complexity = parser.value(complexityOption).toInt(&complexityOk);
    if (!secondsOk || seconds < 1 || seconds > 3600 || !complexityOk || complexity < 0 ||
        complexity > 10) {
        std::fprintf(stderr, "--seconds takes 1..3600, --complexity 0..10\n");
        return 2;
    }

    const std::vector<PcmBlock> blocks = bench::musicLikeBlocks(seconds, kBlockMs);
    std::printf("audio_encode_bench: %d s of 48 kHz stereo in %d ms blocks, opus complexity %d\n\n",
                seconds, kBlockMs, complexity);
    std::printf("%-12s %9s %9s %11s %9s\n", "rendition", "cpu s", "core %", "x realtime", "kbit/s");

    std::vector<Row> rows;
    for (int kbps : {32, 64, 96, 128}) {
        OpusFrameEncoder encoder(kbps * 1000, complexity);
        Row row{"opus" + std::to_string(kbps), "opus " + std::to_string(kbps) + "k", {}};
        if (!measure(encoder, blocks, &row.m))
            return 1;
        printRow(row.label.c_str(), row.m, seconds);
        rows.push_back(row);
    }
    for (auto [codec, name] : {std::pair{AvAudioEncoder::Codec::Mp3, "mp3"},
                               std::pair{AvAudioEncoder::Codec::Aac, "aac"}}) {
        AvAudioEncoder encoder(codec, 128000);
        Row row{std::string(name) + "128", std::string(name) + " 128k", {}};
        if (!measure(encoder, blocks, &row.m))
            return 1;
        printRow(row.label.c_str(), row.m, seconds);
        rows.push_back(row);
    }

    Measured ladder;
    for (const Row &row : rows)
        ladder.cpuSeconds += row.m.cpuSeconds;
    std::printf("%s\n", std::string(54, '-').c_str());
    printRow("ladder", ladder, seconds);

    auto fields = [seconds](const std::string &key, const Measured &m) {
        char text[128];
        std::snprintf(text, sizeof text, " %s_core_pct=%.2f %s_xrt=%.1f", key.c_str(),
                      m.cpuSeconds / seconds * 100, key.c_str(),
                      m.cpuSeconds > 0 ? seconds / m.cpuSeconds : 0.0);
        return std::string(text);
    };
    std::string result = "RESULT audio_encode seconds=" + std::to_string(seconds) +
                         " complexity=" + std::to_string(complexity);
    for (const Row &row : rows)
        result += fields(row.key, row.m);
    result += fields("ladder", ladder);
    std::printf("\n%s\n", result.c_str());
    return 0;
}
