#pragma once

#include <QHash>
#include <QReadWriteLock>
#include <QString>
#include <optional>

namespace veza::moderation {

// The server-wide bans in force, by user (the token `sub`), readable from any thread without
// the database, so every endpoint that takes a token refuses a banned user as it authenticates
// (the chat also checks the database when a session opens). Loaded at start, kept current by
// the bans and unbans applied in this process. Thread-safe: one read-write lock, held for a
// hash look-up.
class ServerBans
{
public:
    struct Ban
    {
        std::optional<qint64> untilMs; // empty: permanent
    };

    // The ban of `subject` in force at nowMs, if any.
    std::optional<Ban> find(const QString &subject, qint64 nowMs) const;
    // describe() of that ban, or empty when none: what refuses an open session or a source.
    QString reasonFor(const QString &subject, qint64 nowMs) const;
    void set(const QString &subject, Ban ban);
    void lift(const QString &subject);
    void replaceAll(QHash<QString, Ban> bans);

    // "banned until 2026-12-06T21:00:00Z", or "banned" for a permanent ban: the close reason
    // and error message people see.
    static QString describe(const Ban &ban);

private:
    mutable QReadWriteLock m_lock;
    QHash<QString, Ban> m_bans;
};

} // namespace veza::moderation
