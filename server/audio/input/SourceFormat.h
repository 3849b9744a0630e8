#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QtGlobal>

// What SourceDemuxer tells about a live source and hands out of it.
namespace veza::audio {

enum class AudioCodec { Opus, Vorbis, Mp3, Aac, Other };

struct SourceFormat
{
    AudioCodec codec = AudioCodec::Other;
    QString codecName; // FFmpeg's name: "opus", "vorbis", "mp3", "aac", ...
    int sampleRate = 0;
    int channels = 0;
    qint64 bitRate = 0;         // 0 = unknown
    QByteArray extradata;       // codec setup from the container (for Opus: the OpusHead)
    QStringList ignoredStreams; // the container's other streams, skipped: "video (png)"
};

struct DemuxedPacket
{
    QByteArray data;
    // At 48 kHz, from the container's timing; 0 if unknown. A source can make it say anything:
    // the pipeline times the audio by the samples it decodes, never by this.
    int durationSamples = 0;
    qint64 captureNs = 0; // SourceBuffer::lastReadArrivalNs() when the packet was returned
};

} // namespace veza::audio
