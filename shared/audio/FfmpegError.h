#pragma once

#include <QString>

extern "C" {
#include <libavutil/error.h>
}

namespace veza::audio {

// FFmpeg's text for an AVERROR code ("Invalid data found when processing input").
inline QString ffmpegErrorText(int averror)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(averror, text, sizeof text);
    return QString::fromUtf8(text);
}

} // namespace veza::audio
