#pragma once

#include <memory>

// Owning pointers for the FFmpeg objects this module holds, so every exit path frees them.
// The FFmpeg types stay incomplete here: headers that hold these pointers need no FFmpeg include.
struct AVCodecContext;
struct AVFormatContext;
struct AVFrame;
struct AVIOContext;
struct AVPacket;
struct SwrContext;

namespace veza::audio {

struct FfmpegDeleter
{
    void operator()(AVCodecContext *context) const;
    void operator()(AVFormatContext *context) const; // closes an input opened on custom I/O
    void operator()(AVFrame *frame) const;
    void operator()(AVIOContext *io) const; // also its buffer (FFmpeg may have reallocated it)
    void operator()(AVPacket *packet) const;
    void operator()(SwrContext *resampler) const;
};

using CodecContextPtr = std::unique_ptr<AVCodecContext, FfmpegDeleter>;
using FormatContextPtr = std::unique_ptr<AVFormatContext, FfmpegDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FfmpegDeleter>;
using IoContextPtr = std::unique_ptr<AVIOContext, FfmpegDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, FfmpegDeleter>;
using ResamplerPtr = std::unique_ptr<SwrContext, FfmpegDeleter>;

} // namespace veza::audio
