#include "AudioDecoder.h"

#include "PcmQueue.h"
#include "audio/FfmpegError.h"
#include "audio/FfmpegHandles.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
}

#include <vector>

namespace veza::console {

using audio::ffmpegErrorText;

AudioDecoder::AudioDecoder(QUrl url, std::shared_ptr<PcmQueue> output)
    : m_url(std::move(url))
    , m_output(std::move(output))
{
}

void AudioDecoder::abort()
{
    m_abort = true;
}

int AudioDecoder::interrupted(void *decoder)
{
    return static_cast<AudioDecoder *>(decoder)->m_abort ? 1 : 0;
}

void AudioDecoder::run()
{
    if (decode() && !m_abort)
        Q_EMIT ended();
}

// False when it failed (and said why) or was aborted.
bool AudioDecoder::decode()
{
    const auto fail = [this](const QString &problem) {
        if (!m_abort)
            Q_EMIT failed(problem);
        return false;
    };
    AVFormatContext *opening = avformat_alloc_context();
    opening->interrupt_callback = {&AudioDecoder::interrupted, this};
    // A live stream's codec shows in its first bytes: no need to read seconds of it first.
    opening->probesize = 32 * 1024;
    opening->max_analyze_duration = 500 * 1000;
    AVDictionary *options = nullptr;
    av_dict_set(&options, "rw_timeout", "5000000", 0); // a silent network fails in 5 s
    av_dict_set(&options, "user_agent", "veza-console", 0);
    const QByteArray url = m_url.toEncoded();
    int rc = avformat_open_input(&opening, url.constData(), nullptr, &options);
    av_dict_free(&options);
    if (rc < 0)
        return fail(ffmpegErrorText(rc)); // avformat_open_input freed the context
    const audio::FormatContextPtr format(opening);
    if ((rc = avformat_find_stream_info(format.get(), nullptr)) < 0)
        return fail(ffmpegErrorText(rc));
    const AVCodec *codec = nullptr;
    const int index = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (index < 0 || !codec)
        return fail(tr("no audio the console can decode"));
    const audio::CodecContextPtr decoder(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(decoder.get(), format->streams[index]->codecpar);
    if ((rc = avcodec_open2(decoder.get(), codec, nullptr)) < 0)
        return fail(ffmpegErrorText(rc));
    Q_EMIT opened(tr("%1, %2 Hz, %n channel(s)", nullptr, decoder->ch_layout.nb_channels)
                      .arg(QString::fromLatin1(codec->name))
                      .arg(decoder->sample_rate));

    const audio::PacketPtr packet(av_packet_alloc());
    const audio::FramePtr frame(av_frame_alloc());
    audio::ResamplerPtr resampler;
    std::vector<uint8_t> pcm;
    while (!m_abort) {
        rc = av_read_frame(format.get(), packet.get());
        if (rc == AVERROR_EOF)
            return true;
        if (rc < 0)
            return fail(ffmpegErrorText(rc));
        if (packet->stream_index != index) {
            av_packet_unref(packet.get());
            continue;
        }
        rc = avcodec_send_packet(decoder.get(), packet.get());
        av_packet_unref(packet.get());
        if (rc < 0 && rc != AVERROR(EAGAIN))
            continue; // a damaged packet: the next ones decode
        while (avcodec_receive_frame(decoder.get(), frame.get()) == 0) {
            if (!resampler) {
                // From the first frame: its layout and format are the decoder's real ones.
                AVChannelLayout in = frame->ch_layout;
                if (in.order == AV_CHANNEL_ORDER_UNSPEC)
                    av_channel_layout_default(&in, in.nb_channels);
                AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO; // FFmpeg 5.1 wants it mutable
                SwrContext *made = nullptr;
                if (swr_alloc_set_opts2(&made, &stereo, AV_SAMPLE_FMT_S16, kSampleRate, &in,
                                        AVSampleFormat(frame->format), frame->sample_rate, 0,
                                        nullptr) < 0 ||
                    swr_init(made) < 0) {
                    swr_free(&made);
                    return fail(tr("cannot convert %1 Hz audio").arg(frame->sample_rate));
                }
                resampler.reset(made);
            }
            const int room = swr_get_out_samples(resampler.get(), frame->nb_samples);
            pcm.resize(size_t(std::max(room, 0)) * kBytesPerFrame);
            uint8_t *out = pcm.data();
            const int converted =
                swr_convert(resampler.get(), &out, room,
                            const_cast<const uint8_t **>(frame->extended_data), frame->nb_samples);
            if (converted > 0)
                m_output->append(reinterpret_cast<const char *>(pcm.data()),
                                 qint64(converted) * kBytesPerFrame);
            av_frame_unref(frame.get());
        }
    }
    return false;
}

} // namespace veza::console
