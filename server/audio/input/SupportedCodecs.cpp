#include "audio/input/SupportedCodecs.h"

#include <QByteArrayList>
#include <algorithm>
#include <array>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace veza::audio::SupportedCodecs {

namespace {

constexpr std::array kSupported{AV_CODEC_ID_OPUS, AV_CODEC_ID_VORBIS, AV_CODEC_ID_MP3,
                                AV_CODEC_ID_AAC, AV_CODEC_ID_FLAC};

} // namespace

bool isSupported(AVCodecID id)
{
    return std::find(kSupported.begin(), kSupported.end(), id) != kSupported.end();
}

const char *names()
{
    return "Opus, Vorbis, MP3, AAC and FLAC";
}

const QByteArray &decoderWhitelist()
{
    // Every decoder this FFmpeg has for them (native and library ones, fixed and float).
    static const QByteArray whitelist = [] {
        QByteArrayList decoders;
        void *state = nullptr;
        while (const AVCodec *codec = av_codec_iterate(&state)) {
            if (av_codec_is_decoder(codec) && isSupported(codec->id))
                decoders.append(codec->name);
        }
        return decoders.join(',');
    }();
    return whitelist;
}

const char *demuxerWhitelist()
{
    return "ogg,matroska,mp3,aac"; // "matroska" names FFmpeg's "matroska,webm" demuxer
}

} // namespace veza::audio::SupportedCodecs
