#pragma once

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <optional>

namespace veza::crypto {
class MessageCipher;
}

namespace veza::moderation {

// Why a message is reported: a fixed list (the queue sorts and counts by it), free text apart.
const QStringList &reportReasons(); // spam, harassment, hate, violence, sexual, self_harm, other

// One report in the queue, names resolved.
struct Report
{
    qint64 id = 0;
    QString source; // "user"; an automatic moderation later
    QString reporter;
    QString room;
    qint64 roomId = 0;
    qint64 messageId = 0;
    QString author;
    QString reason;
    QString details;
    std::optional<QString> body; // the message as reported; empty for end-to-end ciphertext
    // Why a sealed body did not open ("unknown_key", "tampered"); empty when it did.
    QString bodyError;
    qint64 createdAtMs = 0;
    bool open = true;
    QString outcome; // when resolved: "dismiss" or the moderation action taken
    QString note;
    QString resolvedBy;
    std::optional<qint64> resolvedAtMs;
};

struct ReportQuery
{
    std::optional<bool> open; // empty: both
    std::optional<qint64> roomId;
    std::optional<QList<qint64>> rooms; // only these rooms (a room moderator's)
    int limit = 50;                     // clamped to [1, 201]: a page and the row after it
    std::optional<qint64> beforeId;
};

// ReportStore: reported messages and their resolution. Stateless; runs inside Database::run
// jobs on a database worker, throwing storage::StorageError on failure.
class ReportStore
{
public:
    ReportStore() = delete;

    // Files a report of the message (room, seq), copying its stored body; nullopt when there
    // is no such message (or it is deleted). Returns the report's id.
    static std::optional<qint64> file(QSqlDatabase &db, qint64 reporterId, qint64 roomId,
                                      qint64 seq, const QString &reason, const QString &details,
                                      qint64 nowMs);
    // Newest first, bodies opened with `cipher`.
    static QList<Report> list(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                              const ReportQuery &query);
    static std::optional<Report> find(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                      qint64 id);
    // Marks an open report resolved; false when it is not open (or does not exist).
    static bool resolve(QSqlDatabase &db, qint64 id, const QString &outcome, const QString &note,
                        qint64 resolverId, qint64 nowMs);
    // Open reports of each of these rooms (rooms without any are left out), for the directory.
    static QHash<qint64, int> openCounts(QSqlDatabase &db, const QList<qint64> &roomIds);
    // Every open report, whatever its room.
    static qint64 openCount(QSqlDatabase &db);
};

} // namespace veza::moderation
