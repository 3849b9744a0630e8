#pragma once

#include "audio/FfmpegHandles.h"
#include "audio/input/SourceBuffer.h"
#include "audio/input/SourceFormat.h"
#include "audio/input/SourceProblem.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <functional>

struct AVCodecParameters;

namespace veza::audio {

// libavformat reading a live source straight out of its SourceBuffer, through a custom
// AVIOContext (no temp files, no sockets in FFmpeg). Runs on the stream's pipeline thread and
// blocks it while the source is quiet; every 100 ms of quiet it calls the stall hook, so the
// pipeline can keep its listeners fed (with silence) while it waits.
//
// Only the containers and codecs of SupportedCodecs are opened, even while probing; streams
// other than the chosen audio one (video, cover pictures, data) are skipped undecoded. Memory
// stays bounded: the demuxer may read at most AudioLimits::maxBytesBetweenPackets between two
// audio packets.
class SourceDemuxer
{
public:
    // contentType: the source's Icecast Content-Type; it picks the demuxer (no guessing from the
    // bytes unless it is empty). stallHook runs on the calling thread.
    SourceDemuxer(SourceBuffer &buffer, QByteArray contentType,
                  std::function<void()> stallHook = {});
    ~SourceDemuxer();
    SourceDemuxer(const SourceDemuxer &) = delete;
    SourceDemuxer &operator=(const SourceDemuxer &) = delete;

    // Blocks until the format is known. False + *error ("not an Ogg stream: Invalid data found
    // when processing input", "no audio stream", "unsupported content type audio/x",
    // "unsupported codec speex: ...") on failure, and problem() says which kind it is.
    bool open(QString *error);
    const SourceFormat &format() const { return m_format; }
    // The audio stream's codec parameters (for AudioDecoder); nullptr before a successful open().
    const AVCodecParameters *parameters() const;

    enum class Result { Packet, End, Error };
    // Only packets of the chosen audio stream. End: the source closed (once the buffered bytes
    // are read) or the container ended. Error: *error says why (a corrupt stream the demuxer
    // cannot resync, no packet within the byte limit, the buffer was aborted), problem() which
    // kind it is.
    Result read(DemuxedPacket *packet, QString *error);
    // The kind of the last failure of open() or read().
    SourceProblem problem() const { return m_problem; }

private:
    static int readSource(void *opaque, uint8_t *dst, int size);
    static int isInterrupted(void *opaque);
    bool fail(QString *error, const QString &message,
              SourceProblem problem = SourceProblem::Unreadable);
    QString openFailure(const QString &containerName, int averror) const;
    QString byteLimitFailure() const;
    // The audio stream to play, or -1 with *error and m_problem set.
    int chooseAudioStream(const QString &containerName, QString *error);
    void describeStream();

    SourceBuffer &m_buffer;
    const QByteArray m_contentType;
    const std::function<void()> m_stallHook;
    // Declared before m_context: the format context is closed before its I/O is freed.
    IoContextPtr m_io;
    FormatContextPtr m_context;
    PacketPtr m_packet;
    int m_streamIndex = -1;
    SourceFormat m_format;
    qint64 m_bytesRead = 0;
    qint64 m_bytesSincePacket = 0; // read since read() last handed out a packet
    bool m_sourceEnded = false;
    bool m_aborted = false;
    bool m_overByteLimit = false;
    SourceProblem m_problem = SourceProblem::Unreadable;
};

} // namespace veza::audio
