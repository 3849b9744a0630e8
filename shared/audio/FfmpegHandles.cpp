#include "audio/FfmpegHandles.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/mem.h>
#include <libswresample/swresample.h>
}

namespace veza::audio {

void FfmpegDeleter::operator()(AVCodecContext *context) const
{
    avcodec_free_context(&context);
}

void FfmpegDeleter::operator()(AVFormatContext *context) const
{
    avformat_close_input(&context);
}

void FfmpegDeleter::operator()(AVFrame *frame) const
{
    av_frame_free(&frame);
}

void FfmpegDeleter::operator()(AVIOContext *io) const
{
    if (io)
        av_freep(&io->buffer);
    avio_context_free(&io);
}

void FfmpegDeleter::operator()(AVPacket *packet) const
{
    av_packet_free(&packet);
}

void FfmpegDeleter::operator()(SwrContext *resampler) const
{
    swr_free(&resampler);
}

} // namespace veza::audio
