#pragma once

#include "audio/AudioFormat.h"

#include <QString>
#include <memory>
#include <vector>

struct OpusEncoder;

namespace veza::audio {

// One Opus rendition through libopus: 48 kHz stereo in, one 20 ms packet out per 960 frames.
class OpusFrameEncoder
{
public:
    // 48 kHz stereo, OPUS_APPLICATION_AUDIO, `bitrate` bits/s (6000..510000),
    // `complexity` 0..10. Out-of-range values leave the encoder invalid with an error.
    explicit OpusFrameEncoder(int bitrate, int complexity = 5);
    ~OpusFrameEncoder();
    OpusFrameEncoder(OpusFrameEncoder &&) noexcept;
    OpusFrameEncoder &operator=(OpusFrameEncoder &&) noexcept;

    bool isValid() const { return m_encoder != nullptr; }
    QString error() const { return m_error; }
    int bitrate() const { return m_bitrate; }
    int preSkip() const { return m_preSkip; } // OPUS_GET_LOOKAHEAD, for OpusHead

    // Buffers input; returns every complete 20 ms packet (960 samples/channel) it now holds.
    // Each packet's captureNs is the captureNs of the block that completed it.
    std::vector<EncodedPacket> encode(const PcmBlock &block);

private:
    struct Destroy
    {
        void operator()(OpusEncoder *encoder) const;
    };

    std::unique_ptr<OpusEncoder, Destroy> m_encoder;
    QString m_error;
    int m_bitrate;
    int m_preSkip = 0;
    std::vector<float> m_pending; // interleaved samples not yet a whole frame
};

} // namespace veza::audio
