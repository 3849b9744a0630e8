#include "OpusFrameEncoder.h"

#include <opus.h>

namespace veza::audio {

namespace {

constexpr int kMinBitrate = 6000; // libopus' own range
constexpr int kMaxBitrate = 510000;
constexpr int kMaxPacketBytes = 4000; // libopus' recommended output buffer
constexpr size_t kFrameValues = size_t(kOpusFrameSamples) * kChannels;

QString opusError(const char *what, int code)
{
    return QStringLiteral("%1: %2").arg(QLatin1StringView(what),
                                        QString::fromUtf8(opus_strerror(code)));
}

} // namespace

void OpusFrameEncoder::Destroy::operator()(OpusEncoder *encoder) const
{
    opus_encoder_destroy(encoder);
}

OpusFrameEncoder::OpusFrameEncoder(int bitrate, int complexity)
    : m_bitrate(bitrate)
{
    if (bitrate < kMinBitrate || bitrate > kMaxBitrate) {
        m_error = QStringLiteral("Opus bitrate %1 bit/s is outside %2..%3")
                      .arg(bitrate)
                      .arg(kMinBitrate)
                      .arg(kMaxBitrate);
        return;
    }
    if (complexity < 0 || complexity > 10) {
        m_error = QStringLiteral("Opus complexity %1 is outside 0..10").arg(complexity);
        return;
    }
    int status = OPUS_OK;
    std::unique_ptr<OpusEncoder, Destroy> encoder(
        opus_encoder_create(kSampleRate, kChannels, OPUS_APPLICATION_AUDIO, &status));
    if (status != OPUS_OK || !encoder) {
        m_error = opusError("opus_encoder_create", status);
        return;
    }
    if ((status = opus_encoder_ctl(encoder.get(), OPUS_SET_BITRATE(bitrate))) != OPUS_OK ||
        (status = opus_encoder_ctl(encoder.get(), OPUS_SET_COMPLEXITY(complexity))) != OPUS_OK ||
        (status = opus_encoder_ctl(encoder.get(), OPUS_GET_LOOKAHEAD(&m_preSkip))) != OPUS_OK) {
        m_error = opusError("opus_encoder_ctl", status);
        return;
    }
    m_encoder = std::move(encoder);
    m_pending.reserve(kFrameValues * 2);
}

OpusFrameEncoder::~OpusFrameEncoder() = default;
OpusFrameEncoder::OpusFrameEncoder(OpusFrameEncoder &&) noexcept = default;
OpusFrameEncoder &OpusFrameEncoder::operator=(OpusFrameEncoder &&) noexcept = default;

std::vector<EncodedPacket> OpusFrameEncoder::encode(const PcmBlock &block)
{
    std::vector<EncodedPacket> packets;
    if (!m_encoder)
        return packets;
    m_pending.insert(m_pending.end(), block.samples.begin(), block.samples.end());

    unsigned char buffer[kMaxPacketBytes];
    size_t consumed = 0;
    while (m_pending.size() - consumed >= kFrameValues) {
        const opus_int32 bytes = opus_encode_float(m_encoder.get(), m_pending.data() + consumed,
                                                   kOpusFrameSamples, buffer, kMaxPacketBytes);
        consumed += kFrameValues;
        if (bytes < 0) {
            // A frame lost, not the stream: keep going with the next one.
            m_error = opusError("opus_encode_float", bytes);
            continue;
        }
        packets.push_back(EncodedPacket{QByteArray(reinterpret_cast<const char *>(buffer), bytes),
                                        kOpusFrameSamples, block.captureNs});
    }
    m_pending.erase(m_pending.begin(), m_pending.begin() + std::ptrdiff_t(consumed));
    return packets;
}

} // namespace veza::audio
