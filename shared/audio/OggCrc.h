#pragma once

#include <QByteArrayView>
#include <QtGlobal>

namespace veza::audio {

// CRC-32 of an Ogg page as RFC 3533 specifies it: polynomial 0x04c11db7, not reflected,
// initial value 0, no final xor (this is not the zlib CRC-32). Computed over the whole page
// with the checksum field set to zero.
quint32 oggCrc32(QByteArrayView bytes);

} // namespace veza::audio
