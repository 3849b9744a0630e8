#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace veza::streaming {

// What a source's first bytes say it sends, next to what its Content-Type announced. Encoders
// often announce the wrong type: ffmpeg 5.1 sends `audio/mpeg` for any format unless told
// otherwise, and Icecast plays it all the same. Free functions, any thread.
namespace SourceSniffer {

// Enough bytes to tell every container we take apart.
constexpr qsizetype headBytes = 4;

// The media type the first bytes show: audio/ogg (`OggS`), audio/webm (EBML 1A 45 DF A3),
// audio/aac (an ADTS sync word) or audio/mpeg (an MPEG audio frame sync, or an ID3 tag);
// empty when they show none of these (or there are fewer than headBytes).
QByteArray mediaTypeOf(QByteArrayView head);

// The type to decode and serve the source as: the bytes' when they show a container other than
// the declared one, the declared type otherwise (unrecognised bytes keep it, so the decoder
// reports what is wrong with them; audio/aacp stays aacp; an ID3 tag, which may precede AAC
// as well as MP3, keeps either).
QByteArray reconcile(const QByteArray &declared, QByteArrayView head);

} // namespace SourceSniffer

} // namespace veza::streaming
