#pragma once

#include "streaming/StreamTypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <optional>

namespace veza::streaming {

struct ListenerRecord;

// One listener of a stream that left (a row of listener_sessions, schema 5).
struct ListenerVisit
{
    qint64 id = 0;
    qint64 streamId = 0;
    std::optional<qint64> streamSessionId; // the broadcast heard, when known
    QString kind;                          // listenerKindText()
    QString rendition;
    qint64 connectedAtMs = 0;
    qint64 endedAtMs = 0;
    qint64 bytes = 0;
    QString userAgent;
    QString address;
    QString endReason; // listenerEndReasonText()
};

// StreamStore: stream definitions, their key hashes, session history (schema 4) and listener
// history (schema 5).
//
// Stateless, like moderation::ModerationStore: every function runs inside a Database::run job, on a
// database worker thread, with that thread's connection, and throws storage::StorageError
// when the database fails; expected outcomes (name taken, no such stream) are return values.
// A deleted stream is soft-deleted (deleted_at set): invisible to every reader here, its
// sessions kept for history, and its name free for a new stream.
class StreamStore
{
public:
    StreamStore() = delete;

    // The new stream, or nullopt when a stream that is not deleted has the name. `keyHash` is
    // StreamKey::hash() of the key handed to the owner.
    static std::optional<StreamInfo> create(QSqlDatabase &db, const NewStream &stream,
                                            const QByteArray &keyHash, qint64 nowMs);
    static std::optional<StreamInfo> find(QSqlDatabase &db, const QString &name);
    // Streams (not deleted) the user owns: MAX_STREAMS_PER_USER.
    static int countOwned(QSqlDatabase &db, qint64 ownerId);
    // Ordered by name.
    static QList<StreamInfo> list(QSqlDatabase &db, const StreamFilter &filter = {});
    // The stored key hash of a stream that is not deleted, for the ingest to verify against.
    static std::optional<QByteArray> keyHash(QSqlDatabase &db, const QString &name);
    // Replaces the stream's title, description, genre and public flag with `stream`'s; false
    // when the stream is deleted or unknown.
    static bool describe(QSqlDatabase &db, qint64 streamId, const StreamInfo &stream, qint64 nowMs);
    // Replaces the key hash; false when the stream is deleted or unknown.
    static bool rotateKey(QSqlDatabase &db, qint64 streamId, const QByteArray &keyHash,
                          qint64 nowMs);
    // The stream's stored effects settings (the API's JSON form; empty when none were set).
    static QJsonObject effects(QSqlDatabase &db, qint64 streamId);
    // Replaces them; false when the stream is deleted or unknown.
    static bool saveEffects(QSqlDatabase &db, qint64 streamId, const QJsonObject &effects,
                            qint64 nowMs);
    // Soft delete; also ends a session still open ("deleted"). False when already deleted or
    // unknown.
    // Opens its own transaction (must not run inside another one).
    static bool remove(QSqlDatabase &db, qint64 streamId, qint64 nowMs);

    // Session history, for the stream hub: a session starts when a source connects and ends
    // with its final figures. A stream has at most one open session (a unique index):
    // starting one ends a session left open (a crash) at `nowMs`, as "interrupted". Opens its
    // own transaction.
    static qint64 startSession(QSqlDatabase &db, qint64 streamId, qint64 nowMs);
    // False when the session is unknown or already ended.
    static bool endSession(QSqlDatabase &db, qint64 sessionId, qint64 nowMs, int peakListeners,
                           qint64 bytesIn, qint64 bytesOut, StreamEndReason reason);
    // The newest sessions first.
    static QList<StreamSession> sessions(QSqlDatabase &db, qint64 streamId, int limit = 50);

    // Listener history, for the ListenerLog: writes the records in one transaction, each with
    // the stream's session that was live when it connected (NULL when none); records of a
    // stream that no longer exists are skipped. Returns the number of rows written.
    static int addListenerVisits(QSqlDatabase &db, const QList<ListenerRecord> &records);
    // A stream's listeners, the latest to connect first, `limit` (1 to 1000) at most. With
    // `beforeId`: only those listed after that row (the next page), none when it is not one
    // of this stream's.
    static QList<ListenerVisit> listenerVisits(QSqlDatabase &db, qint64 streamId, int limit,
                                               std::optional<qint64> beforeId = std::nullopt);
    // Deletes up to `maxRows` listener sessions that connected before `beforeMs`, oldest
    // first; returns how many went. Callers repeat it while it returns `maxRows`, so no one
    // statement holds the database's writer for long.
    static int purgeListenerVisits(QSqlDatabase &db, qint64 beforeMs, int maxRows);
};

} // namespace veza::streaming
