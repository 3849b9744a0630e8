#pragma once

#include "audio/AudioFormat.h"

#include <QByteArray>
#include <QtGlobal>
#include <span>

namespace veza::audio {

// Writes one live Ogg/Opus logical stream (RFC 3533 pages, RFC 7845 mapping) for HTTP listeners.
// Listeners join mid-stream: each gets headerPages() and then whatever page comes next, which
// works because every page starts on a packet boundary whenever the packets allow it.
class OggOpusMuxer
{
public:
    explicit OggOpusMuxer(quint32 serial, int preSkip = 312);

    // Page 0 (BOS, granule 0): OpusHead (version 1, 2 channels, preSkip, input rate 48000,
    // gain 0, mapping 0); page 1 (granule 0): OpusTags (vendor "veza", no comments).
    // Always the same bytes for a given muxer.
    QByteArray headerPages() const;

    // Appends `packets` as one page (or more when they need more than 255 lacing values).
    // A page's granule is the sample count (48 kHz) at the end of the last packet completed on
    // it, -1 when none completes there. Sequence numbers continue 2, 3, ... Empty span -> empty.
    QByteArray pages(std::span<const EncodedPacket> packets);

    qint64 granule() const { return m_granule; } // samples so far
    quint32 serial() const { return m_serial; }

private:
    QByteArray m_headerPages;
    quint32 m_serial;
    quint32 m_sequence = 2;
    qint64 m_granule = 0;
};

} // namespace veza::audio
