#pragma once

#include <QByteArray>

extern "C" {
#include <libavcodec/codec_id.h>
}

namespace veza::audio {

// The codecs and containers a live source may use. Everything else FFmpeg could open stays
// shut: a hostile source cannot reach a decoder we do not need (a video or image decoder for
// a cover picture, a rarely used audio one). Free functions, any thread.
namespace SupportedCodecs {

// Opus, Vorbis, MP3, AAC and FLAC.
bool isSupported(AVCodecID id);
// For messages: "Opus, Vorbis, MP3, AAC and FLAC".
const char *names();
// For AVFormatContext::codec_whitelist: the FFmpeg decoders of these codecs ("opus,libopus,
// vorbis,...") — the only ones avformat_find_stream_info may open while it probes a source.
const QByteArray &decoderWhitelist();
// For AVFormatContext::format_whitelist: the demuxers of the containers we take.
const char *demuxerWhitelist();

} // namespace SupportedCodecs

} // namespace veza::audio
