#pragma once

#include "audio/AudioFormat.h"
#include "audio/FfmpegHandles.h"
#include "audio/input/SourceFormat.h"
#include "audio/input/SourceProblem.h"

#include <QString>
#include <memory>

struct AVCodecParameters;

namespace veza::audio {

class FrameConverter;

// Decodes a source's packets (libavcodec) into the pipeline's PCM: 48 kHz interleaved stereo
// float, whatever the source's rate and channels (mono plays on both channels), following rate
// changes mid-stream. Only the codecs of SupportedCodecs, and only audio within AudioLimits:
// checked when the decoder opens and again on every decoded frame, since a stream may change
// its parameters mid-way. Pipeline thread.
class AudioDecoder
{
public:
    // parameters: SourceDemuxer::parameters() (copied; need not outlive the decoder).
    explicit AudioDecoder(const AVCodecParameters *parameters);
    ~AudioDecoder();
    AudioDecoder(const AudioDecoder &) = delete;
    AudioDecoder &operator=(const AudioDecoder &) = delete;

    // False when the decoder could not be opened, or stopped at audio beyond the limits: the
    // source cannot be played; error() says why and problem() which kind of failure it is.
    bool isValid() const { return m_codec != nullptr; }
    QString error() const { return m_error; }
    SourceProblem problem() const { return m_problem; }

    // Decodes one packet; appends the PCM to *out (out->captureNs set to the packet's
    // captureNs). False with *error for a packet the decoder rejects: the caller counts these
    // and drops the source after too many in a row; one bad packet is not fatal. A frame beyond
    // AudioLimits is: decode() answers false and the decoder is no longer valid.
    bool decode(const DemuxedPacket &packet, PcmBlock *out, QString *error);
    // Rejected packets since the last one that decoded.
    int consecutiveErrors() const { return m_consecutiveErrors; }

private:
    // The decoder for these parameters, or null after refused().
    CodecContextPtr open(const AVCodecParameters *parameters);
    void refuse(const QString &message, SourceProblem problem);
    CodecContextPtr refused(const QString &message, SourceProblem problem);
    bool reject(QString *error, const QString &message);
    // Pulls every frame the decoder has ready into *out. False on a decoding error.
    bool receiveFrames(PcmBlock *out, QString *error);

    CodecContextPtr m_codec; // null when the decoder could not be opened
    PacketPtr m_packet;
    FramePtr m_frame;
    std::unique_ptr<FrameConverter> m_converter;
    QString m_error;
    SourceProblem m_problem = SourceProblem::UnsupportedCodec;
    bool m_beyondLimits = false; // a decoded frame was: stop at the end of this decode()
    int m_consecutiveErrors = 0;
};

} // namespace veza::audio
