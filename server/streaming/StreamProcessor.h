#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <memory>
#include <optional>

namespace veza::streaming {

class LiveStream;
class PacketFeed;
struct SourceMeta;

// The codecs a listener can ask for by file extension (/live/{name}.opus, .mp3, .aac).
enum class RenditionCodec { Opus, Mp3, Aac };

// What turns a source's bytes into audio for listeners: demuxing, decoding, the effects
// chain, the encoding ladder, the levels. The streaming core knows only this seam; the audio
// pipeline (server/audio/pipeline) implements it. One per live stream, created by the hub
// when the stream goes live and kept across a source's reconnections within the grace period,
// so rendition listeners stay connected.
class StreamProcessor
{
public:
    virtual ~StreamProcessor() = default;

    // The source's network thread: a source connected (or reconnected); meta.contentType says
    // what it sends.
    virtual void sourceStarted(const SourceMeta &meta) = 0;
    // Bytes as received; never blocks. False when processing is so far behind that the
    // buffer is full (the source sends faster than real time): the caller drops the source.
    virtual bool push(QByteArrayView bytes) = 0;
    // True while processing lags this far behind the source (it sends faster than real
    // time): the source's session stops reading until it is false again, so TCP paces it.
    virtual bool inputBacklogged() const = 0;
    virtual void sourceStopped() = 0;
    // True once the current source's audio proved unusable (garbage, undecodable): the
    // source's session drops it even if it sends nothing more.
    virtual bool sourceRefused() const = 0;
    // The stream ended: stop processing, close the renditions' listeners. Any thread, never
    // blocks.
    virtual void end() = 0;
    // True when no source is connected and the audio the last one sent has all been processed
    // and handed to the renditions' listeners: a stream ended now loses none of it (a draining
    // shutdown waits for this). Any thread, never blocks.
    virtual bool drained() const { return true; }

    // The byte stream HTTP listeners of a rendition attach to, or null when it is not offered
    // (codec not in CODECS_ENABLED, bitrate not on the ladder). `bitrate` 0: the default one.
    virtual std::shared_ptr<LiveStream> rendition(RenditionCodec codec, int bitrate) = 0;
    // The bitrates (bit/s) of the Opus ladder, ascending.
    virtual QList<int> opusLadder() const = 0;
    // The packets of the Opus rendition at `bitrate` (on the ladder), for WebSocket listeners;
    // null when not offered.
    virtual std::shared_ptr<PacketFeed> opusFeed(int bitrate) = 0;
    // The ladder rung listeners get by default (DEFAULT_BITRATE's).
    virtual int defaultOpusBitrate() const = 0;
    // Listeners of every rendition.
    virtual int listeners() const = 0;
    // The title ICY listeners of the renditions see (the Icecast metadata call).
    virtual void setTitle(const QByteArray &title) = 0;

    // Levels, loudness, input format and renditions, as the API and the monitor show them.
    virtual QJsonObject stats() const = 0;
    // The effects chain's settings (the API's JSON form) and a partial update of them; an
    // update applies to the audio within one block (well under 100 ms).
    virtual QJsonObject effects() const = 0;
    virtual std::optional<QJsonObject> patchEffects(const QJsonObject &patch, QString *error) = 0;
};

} // namespace veza::streaming
