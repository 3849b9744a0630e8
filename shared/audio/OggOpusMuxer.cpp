#include "OggOpusMuxer.h"

#include "OggCrc.h"

#include <QtEndian>
#include <vector>

namespace veza::audio {

namespace {

constexpr quint8 kContinued = 0x01;
constexpr quint8 kBeginOfStream = 0x02;
constexpr int kMaxLacingValues = 255;
constexpr int kCrcOffset = 22;

template <typename T> void appendLittleEndian(QByteArray &out, T value)
{
    char bytes[sizeof(T)];
    qToLittleEndian(value, bytes);
    out.append(bytes, sizeof(T));
}

QByteArray page(quint8 headerType, qint64 granule, quint32 serial, quint32 sequence,
                const std::vector<quint8> &lacing, const QByteArray &body)
{
    QByteArray out;
    out.reserve(27 + int(lacing.size()) + body.size());
    out.append("OggS", 4);
    out.append(char(0)); // stream structure version
    out.append(char(headerType));
    appendLittleEndian<qint64>(out, granule);
    appendLittleEndian<quint32>(out, serial);
    appendLittleEndian<quint32>(out, sequence);
    appendLittleEndian<quint32>(out, 0); // CRC, filled in below
    out.append(char(lacing.size()));
    for (quint8 value : lacing)
        out.append(char(value));
    out.append(body);
    qToLittleEndian(oggCrc32(out), out.data() + kCrcOffset);
    return out;
}

// A header packet alone on its page (both Opus headers are far below 255 * 255 bytes).
QByteArray headerPage(quint8 headerType, quint32 serial, quint32 sequence, const QByteArray &packet)
{
    std::vector<quint8> lacing(packet.size() / 255, 255);
    lacing.push_back(quint8(packet.size() % 255));
    return page(headerType, 0, serial, sequence, lacing, packet);
}

QByteArray opusHead(int preSkip)
{
    QByteArray head("OpusHead");
    head.append(char(1)); // version
    head.append(char(kChannels));
    appendLittleEndian<quint16>(head, quint16(preSkip));
    appendLittleEndian<quint32>(head, quint32(kSampleRate)); // input rate, informational
    appendLittleEndian<qint16>(head, 0);                     // output gain
    head.append(char(0)); // channel mapping family 0: mono or stereo, no mapping table
    return head;
}

QByteArray opusTags()
{
    const QByteArray vendor("veza");
    QByteArray tags("OpusTags");
    appendLittleEndian<quint32>(tags, quint32(vendor.size()));
    tags.append(vendor);
    appendLittleEndian<quint32>(tags, 0); // no user comments
    return tags;
}

} // namespace

OggOpusMuxer::OggOpusMuxer(quint32 serial, int preSkip)
    : m_serial(serial)
{
    // Built once: every listener gets these exact bytes first.
    m_headerPages = headerPage(kBeginOfStream, serial, 0, opusHead(preSkip)) +
                    headerPage(0, serial, 1, opusTags());
}

QByteArray OggOpusMuxer::headerPages() const
{
    return m_headerPages;
}

QByteArray OggOpusMuxer::pages(std::span<const EncodedPacket> packets)
{
    QByteArray out;
    std::vector<quint8> lacing;
    QByteArray body;
    bool startsContinued = false; // the page begins with the rest of a packet
    qint64 pageGranule = -1;      // -1: no packet ends on this page

    auto flush = [&](bool nextStartsContinued) {
        out += page(startsContinued ? kContinued : 0, pageGranule, m_serial, m_sequence++, lacing,
                    body);
        lacing.clear();
        body.clear();
        startsContinued = nextStartsContinued;
        pageGranule = -1;
    };

    for (const EncodedPacket &packet : packets) {
        const int size = int(packet.data.size());
        // Keep a packet whole on one page when it can be: a listener who joins at the next page
        // then starts on a packet boundary instead of a fragment.
        const int lacingNeeded = size / 255 + 1;
        if (!lacing.empty() && int(lacing.size()) + lacingNeeded > kMaxLacingValues)
            flush(false);

        int offset = 0;
        for (;;) {
            if (int(lacing.size()) == kMaxLacingValues)
                flush(true); // only reached by a packet longer than one page holds
            const int chunk = qMin(255, size - offset);
            lacing.push_back(quint8(chunk));
            body.append(packet.data.constData() + offset, chunk);
            offset += chunk;
            if (chunk < 255) // a lacing value below 255 ends the packet (0 after an exact multiple)
                break;
        }
        m_granule += packet.durationSamples;
        pageGranule = m_granule;
    }
    if (!lacing.empty())
        flush(false);
    return out;
}

} // namespace veza::audio
