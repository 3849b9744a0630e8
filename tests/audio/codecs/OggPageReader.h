#pragma once

#include <QByteArray>
#include <QString>
#include <vector>

namespace veza::audio::test {

// One Ogg page as a reader sees it, parsed independently of the muxer under test.
struct OggPage
{
    quint8 headerType = 0;
    qint64 granule = 0;
    quint32 serial = 0;
    quint32 sequence = 0;
    bool crcMatches = false; // the stored CRC equals one recomputed bit by bit
    std::vector<quint8> lacing;
    QByteArray body;
    QByteArray bytes; // the whole page
};

// Splits a byte stream into pages; stops with `error` set at the first malformed page.
std::vector<OggPage> readOggPages(const QByteArray &stream, QString *error);

} // namespace veza::audio::test
