#pragma once

#include <QList>
#include <QString>
#include <QStringView>
#include <optional>

namespace veza::streaming {

// A mount name: 1 to maxNameLength characters of [a-z0-9_-], starting with [a-z0-9]. The
// stream is heard at /live/<name>.
constexpr qsizetype maxNameLength = 64;
// Limits on the free-text fields (characters).
constexpr qsizetype maxTitleLength = 200;
constexpr qsizetype maxDescriptionLength = 4000;
constexpr qsizetype maxGenreLength = 64;

// Why `name` is not a valid mount name, or an empty string when it is.
QString streamNameProblem(QStringView name);
inline bool isValidStreamName(QStringView name)
{
    return streamNameProblem(name).isEmpty();
}
// "/live/<name>"
QString mountPath(const QString &name);
// Whether free text (a title, description or genre) holds a control character (CR, LF, tab,
// NUL...): such text could break the icy-* response headers and players' displays it reaches.
bool hasControlCharacters(QStringView text);

// A stream's definition (table streams). Deleted streams are never returned by the store.
struct StreamInfo
{
    qint64 id = 0;
    QString name;
    qint64 ownerId = 0;
    QString ownerName; // users.name of the owner: the token `sub`
    QString title;
    QString description;
    QString genre;
    bool isPublic = true; // false: unlisted (reachable by name, not listed to others)
    qint64 keyCreatedAtMs = 0;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

// What StreamStore::create() needs; `name` must be valid (isValidStreamName).
struct NewStream
{
    QString name;
    qint64 ownerId = 0;
    QString title;
    QString description;
    QString genre;
    bool isPublic = true;
};

// Which streams StreamStore::list() returns, by name. Empty fields do not filter.
struct StreamFilter
{
    std::optional<qint64> ownerId;   // only this owner's streams
    bool publicOnly = false;         // only public streams ...
    std::optional<qint64> orOwnedBy; // ... plus, with publicOnly, this user's unlisted ones
};

// Why a broadcast ended (stream_sessions.end_reason, schema 12).
enum class StreamEndReason {
    SourceLeft, // the source did not come back within the grace period
    Deleted,    // the stream was deleted while live
    Shutdown,   // the server stopped (its listeners heard the end first)
};
// "source_left", "deleted", "shutdown": the stored words. A broadcast left open by a server
// that did not stop cleanly is closed as "interrupted" when the next one begins.
QString streamEndReasonText(StreamEndReason reason);

// One broadcast of a stream (table stream_sessions): from the source's connection to its end.
struct StreamSession
{
    qint64 id = 0;
    qint64 streamId = 0;
    qint64 startedAtMs = 0;
    std::optional<qint64> endedAtMs; // empty while live
    int peakListeners = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    QString endReason; // streamEndReasonText() or "interrupted"; empty while live or unknown
};

} // namespace veza::streaming
