#include "OpusPacketInfo.h"

#include "AudioFormat.h"

#include <limits>
#include <opus.h>

namespace veza::audio {

int opusPacketSamples(QByteArrayView packet)
{
    if (packet.isEmpty() || packet.size() > std::numeric_limits<opus_int32>::max())
        return 0;
    const int samples =
        opus_packet_get_nb_samples(reinterpret_cast<const unsigned char *>(packet.data()),
                                   opus_int32(packet.size()), kSampleRate);
    return samples > 0 ? samples : 0;
}

} // namespace veza::audio
