#include "audio/pipeline/PipelineMetrics.h"

namespace veza::audio {

PipelineMetrics::PipelineMetrics(metrics::MetricsRegistry &registry)
    : encodeSeconds(registry.histogramFamily(
          QStringLiteral("audio_encode_seconds"),
          QStringLiteral("Time to encode one block of audio (about 20-100 ms of it) for one "
                         "rendition."),
          {QStringLiteral("rendition")},
          {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1}))
    , sourceFailures(registry.counterFamily(
          QStringLiteral("stream_source_failures_total"),
          QStringLiteral("Sources dropped because their audio could not be used, by reason."),
          {QStringLiteral("reason")}))
    , silenceFilled(registry.counter(
          QStringLiteral("stream_silence_filled_seconds_total"),
          QStringLiteral("Seconds of silence sent to listeners while a source was stalled or "
                         "gone.")))
    , encodeDrops(registry.counter(
          QStringLiteral("stream_encode_drops_total"),
          QStringLiteral("Blocks of audio not encoded because the encoders were behind.")))
{
}

} // namespace veza::audio
