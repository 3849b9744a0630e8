#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace veza::testing {

// Sources that break the rules on purpose, for the tests of the server's defences: made with
// the real ffmpeg where it can, rewritten byte by byte where it cannot.

// Runs ffmpeg with `arguments` (inputs, codec and muxer options) writing to `path`; the file's
// bytes, or empty (with a warning) when ffmpeg failed.
QByteArray ffmpegFile(const QStringList &arguments, const QString &path);

// The first two pages of an Ogg/Opus file (OpusHead, OpusTags), then Opus audio that never
// ends: one packet continued page after page (every lacing value 255), `bytes` in all.
QByteArray endlessOggPacket(const QByteArray &oggOpus, qsizetype bytes);

// A Matroska file whose every SimpleBlock becomes a BlockGroup claiming `duration` ticks of the
// segment's timecode scale (milliseconds for ffmpeg's files), whatever its audio lasts. The
// segment gets an unknown size (a live stream's), so the demuxer does not need the index.
QByteArray withBlockDurations(const QByteArray &matroska, quint64 duration);

} // namespace veza::testing
