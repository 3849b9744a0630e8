#pragma once

#include <QString>

namespace veza::audio {

// Why a live source's audio cannot be used: the reason the pipeline drops it with, and the
// `reason` label of stream_source_failures_total (docs/metrics.md).
enum class SourceProblem {
    Unreadable,       // not the container it claims, or no audio stream in it
    UnsupportedCodec, // audio in a codec the server does not decode (SupportedCodecs)
    OutOfLimits,      // a rate, channel count, frame or packet beyond AudioLimits
    Corrupt,          // broke mid-stream: the demuxer lost sync, or packets stopped decoding
};

inline QString metricLabel(SourceProblem problem)
{
    switch (problem) {
    case SourceProblem::Unreadable:
        return QStringLiteral("unreadable");
    case SourceProblem::UnsupportedCodec:
        return QStringLiteral("unsupported_codec");
    case SourceProblem::OutOfLimits:
        return QStringLiteral("out_of_limits");
    case SourceProblem::Corrupt:
        break;
    }
    return QStringLiteral("corrupt");
}

} // namespace veza::audio
