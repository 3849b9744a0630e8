#include "OggPageReader.h"

#include <QtEndian>

namespace veza::audio::test {

namespace {

// The Ogg CRC done the slow, obvious way, so a wrong table in the muxer cannot hide.
quint32 bitwiseOggCrc(const QByteArray &page)
{
    quint32 crc = 0;
    for (int i = 0; i < page.size(); ++i) {
        // The CRC field (bytes 22..25) counts as zero.
        const quint8 byte = (i >= 22 && i < 26) ? 0 : quint8(page[i]);
        crc ^= quint32(byte) << 24;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
    }
    return crc;
}

} // namespace

std::vector<OggPage> readOggPages(const QByteArray &stream, QString *error)
{
    std::vector<OggPage> pages;
    qsizetype at = 0;
    while (at < stream.size()) {
        if (stream.size() - at < 27 || stream.mid(at, 4) != "OggS" || stream[at + 4] != 0) {
            *error = QStringLiteral("no page header at byte %1").arg(at);
            return pages;
        }
        const char *h = stream.constData() + at;
        OggPage page;
        page.headerType = quint8(h[5]);
        page.granule = qFromLittleEndian<qint64>(h + 6);
        page.serial = qFromLittleEndian<quint32>(h + 14);
        page.sequence = qFromLittleEndian<quint32>(h + 18);
        const quint32 storedCrc = qFromLittleEndian<quint32>(h + 22);
        const int segments = quint8(h[26]);
        if (stream.size() - at < 27 + segments) {
            *error = QStringLiteral("truncated segment table at byte %1").arg(at);
            return pages;
        }
        int bodySize = 0;
        for (int i = 0; i < segments; ++i) {
            page.lacing.push_back(quint8(h[27 + i]));
            bodySize += page.lacing.back();
        }
        const qsizetype pageSize = 27 + segments + bodySize;
        if (stream.size() - at < pageSize) {
            *error = QStringLiteral("truncated body at byte %1").arg(at);
            return pages;
        }
        page.bytes = stream.mid(at, pageSize);
        page.body = page.bytes.mid(27 + segments);
        page.crcMatches = bitwiseOggCrc(page.bytes) == storedCrc;
        pages.push_back(std::move(page));
        at += pageSize;
    }
    return pages;
}

} // namespace veza::audio::test
