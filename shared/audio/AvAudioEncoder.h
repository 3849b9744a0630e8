#pragma once

#include "audio/AudioFormat.h"

#include <QString>
#include <memory>
#include <vector>

namespace veza::audio {

// An MP3 or AAC rendition through FFmpeg's encoders (libmp3lame, FFmpeg's native aac):
// 48 kHz stereo in, whole codec frames out, ready to be sent to listeners back to back.
class AvAudioEncoder
{
public:
    enum class Codec { Mp3, Aac };

    // `bitrate` in bits/s: MP3 32000..320000, AAC 16000..320000 (CBR for MP3, ABR for AAC).
    // Out-of-range values or an encoder FFmpeg cannot open leave it invalid with an error.
    AvAudioEncoder(Codec codec, int bitrate);
    ~AvAudioEncoder();
    AvAudioEncoder(const AvAudioEncoder &) = delete;
    AvAudioEncoder &operator=(const AvAudioEncoder &) = delete;

    bool isValid() const;
    QString error() const;
    Codec codec() const { return m_codec; }
    int bitrate() const { return m_bitrate; }

    // Returns the packets now complete (the encoder holds back about a frame or two).
    // MP3: raw MPEG frames (concatenated they are a playable .mp3).
    // AAC: each packet already wrapped in its ADTS header (concatenated: a playable .aac).
    // captureNs: that of the block holding the packet's last input sample.
    std::vector<EncodedPacket> encode(const PcmBlock &block);

private:
    struct State; // FFmpeg objects, kept out of this header
    std::unique_ptr<State> m_state;
    Codec m_codec;
    int m_bitrate;
    QString m_error;
};

} // namespace veza::audio
