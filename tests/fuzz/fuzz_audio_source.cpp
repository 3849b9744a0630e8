// Fuzz target: a live source's bytes through the audio input, as AudioPipeline::runSource takes
// them: the container the source's first bytes and its Content-Type settle on (SourceSniffer,
// as LiveSource does), libavformat demuxing out of a SourceBuffer (SourceDemuxer, limited to
// the supported containers and codecs), libavcodec decoding within AudioLimits and the
// conversion to 48 kHz stereo float (AudioDecoder, FrameConverter), the Opus packet durations
// the pipeline paces by. The first input byte picks the Content-Type the source announced; the
// rest is what it sends. FFmpeg itself is not instrumented: coverage and sanitizers see our
// code and what crosses into it.
#include "FuzzSupport.h"
#include "audio/AudioFormat.h"
#include "audio/OpusPacketInfo.h"
#include "audio/input/AudioDecoder.h"
#include "audio/input/AudioLimits.h"
#include "audio/input/SourceDemuxer.h"
#include "streaming/SourceSniffer.h"

#include <cmath>

extern "C" {
#include <libavutil/log.h>
}

using namespace veza::audio;

namespace {

// What IcecastHeads::sourceContentType lets through, and what a WebSocket source may announce.
const QByteArray kAnnounced[] = {"audio/mpeg", "audio/ogg", "audio/aac", "audio/aacp",
                                 "audio/webm"};
constexpr int kMaxPackets = 2000;
constexpr int kMaxDecodeErrors = 50; // as AudioPipeline: then the source is dropped
// What one packet may decode to within AudioLimits: a few frames of the longest length,
// resampled from the lowest rate to 48 kHz.
constexpr qsizetype kMaxFramesPerPacket =
    4 * qsizetype(AudioLimits::maxFrameSamples) * kSampleRate / AudioLimits::minSampleRate;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    veza::fuzz::quietQtLogs();
    av_log_set_level(AV_LOG_QUIET);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray announced = kAnnounced[bytes[0] % std::size(kAnnounced)];
    const QByteArrayView sent(bytes + 1, qsizetype(size) - 1);
    const QByteArray type = veza::streaming::SourceSniffer::reconcile(announced, sent);

    SourceBuffer buffer;
    FUZZ_CHECK(buffer.push(sent, 1));
    buffer.close(); // the source ends: the demuxer sees end of input, never waits
    SourceDemuxer demuxer(buffer, type);
    QString error;
    if (!demuxer.open(&error)) {
        FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    const AVCodecParameters *parameters = demuxer.parameters();
    FUZZ_CHECK(parameters != nullptr);
    AudioDecoder decoder(parameters);
    if (!decoder.isValid())
        return 0;
    const bool opus = demuxer.format().codec == AudioCodec::Opus;
    DemuxedPacket packet;
    for (int i = 0; i < kMaxPackets; ++i) {
        const SourceDemuxer::Result result = demuxer.read(&packet, &error);
        if (result != SourceDemuxer::Result::Packet)
            break;
        if (opus)
            packet.durationSamples = opusPacketSamples(packet.data);
        PcmBlock block;
        if (!decoder.decode(packet, &block, &error)) {
            FUZZ_CHECK(!error.isEmpty());
            if (!decoder.isValid() || decoder.consecutiveErrors() >= kMaxDecodeErrors)
                break; // beyond the limits, or corrupt: the pipeline drops the source
            continue;
        }
        FUZZ_CHECK(block.samples.size() % kChannels == 0);
        FUZZ_CHECK(block.frames() <= kMaxFramesPerPacket);
        for (const float sample : block.samples)
            FUZZ_CHECK(std::isfinite(sample));
    }
    return 0;
}
