#pragma once

#include "streaming/ListenerRoster.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace veza::streaming {

// What a live stream's stored definition says, for views of live streams (/monitor).
struct StreamListing
{
    QString title;
    QString owner; // the owner's user name (token `sub`)
    bool isPublic = true;
};

// The live side of a stream, as the HTTP API shows it next to the stored definition.
struct LiveStatus
{
    bool live = false;
    int listeners = 0;
    std::optional<qint64> ingestBitrateBps; // empty while offline
    std::optional<qint64> startedAtMs;      // the current session's start; empty while offline
    QJsonObject audio;         // levels, input format, renditions, effects (StreamProcessor::stats)
    QString nowPlaying;        // the title on air; empty when none was set
    qint64 nowPlayingAtMs = 0; // when it was set
    std::optional<StreamListing> listing; // empty until read from the database
};

// The answer to a change of a live stream's effects chain.
struct EffectsChange
{
    int status = 200;    // 400: invalid change, 409: the stream is not live
    QByteArray reason;   // for status >= 400
    QJsonObject effects; // the settings now in force
};

// Answers "is this stream live, and how many listen": the seam between the HTTP API (and
// anything else that reports streams) and the stream hub that will own the live mounts.
// Implementations must be callable from any network thread without blocking.
class StreamDirectory
{
public:
    virtual ~StreamDirectory() = default;
    virtual LiveStatus status(const QString &name) const = 0;
    // The stream was deleted: its live session, if any, ends now (source and listeners are
    // disconnected). Any thread, never blocks.
    virtual void endLive(const QString &name) { Q_UNUSED(name); }
    // The stream's key was rotated: a live source that authenticated with the old key is
    // disconnected (the stream keeps its grace period). Any thread, never blocks.
    virtual void keyRotated(const QString &name) { Q_UNUSED(name); }
    // The stream's title, owner or visibility changed (PATCH): live views follow. Any thread.
    virtual void described(const QString &name, const StreamListing &listing)
    {
        Q_UNUSED(name);
        Q_UNUSED(listing);
    }
    // Cuts the live source off without ending the stream (its grace period runs), and refuses
    // a new source for `blockMs` (0: none). False when the stream is not live. Any thread.
    virtual bool cutSource(const QString &name, qint64 blockMs)
    {
        Q_UNUSED(name);
        Q_UNUSED(blockMs);
        return false;
    }
    // A partial update of the live stream's effects chain (the API's JSON form). Any thread.
    virtual EffectsChange changeEffects(const QString &name, const QJsonObject &patch)
    {
        Q_UNUSED(name);
        Q_UNUSED(patch);
        return {409, "stream is offline: effects apply to a live stream", {}};
    }
    // The listeners of the stream (every rendition) connected now. Any thread.
    virtual QList<ListenerRoster::Listener> connectedListeners(qint64 streamId) const
    {
        Q_UNUSED(streamId);
        return {};
    }
    // Disconnects one of them (on its own thread, shortly). False when no such listener of
    // that stream is connected. Any thread.
    virtual bool disconnectListener(qint64 streamId, qint64 listenerId)
    {
        Q_UNUSED(streamId);
        Q_UNUSED(listenerId);
        return false;
    }
};

// Without a stream hub: every stream is offline.
class OfflineStreamDirectory final : public StreamDirectory
{
public:
    LiveStatus status(const QString &) const override { return {}; }
};

} // namespace veza::streaming
