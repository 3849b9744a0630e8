#pragma once

#include <QString>
#include <optional>

namespace veza::storage {

// DatabaseUrl: the parsed, validated form of DATABASE_URL. Value type, any thread.
//
// Accepted forms:
//   sqlite:///abs/path.db          absolute path
//   sqlite://relative/path.db      relative to the working directory at parse time
//   sqlite::memory:                private in-memory database (tests)
//   postgresql://user:pass@host:port/dbname[?sslmode=require&...]   (also postgres://)
// For PostgreSQL the port defaults to 5432, user and password are percent-decoded, and the
// query items are kept as libpq connect options (key=value).
class DatabaseUrl
{
public:
    enum class Backend { Sqlite, Postgresql };

    static std::optional<DatabaseUrl> parse(const QString &url, QString *error = nullptr);

    Backend backend() const { return m_backend; }
    bool isSqlite() const { return m_backend == Backend::Sqlite; }
    bool isPostgresql() const { return m_backend == Backend::Postgresql; }
    QString backendName() const; // "sqlite" or "postgresql" (also the migrations' folder)
    QString driverName() const;  // QtSql driver: "QSQLITE" or "QPSQL"

    // SQLite: absolute file path, or ":memory:".
    QString sqlitePath() const { return m_path; }
    bool isMemory() const { return m_path == QLatin1String(":memory:"); }

    // PostgreSQL parts (decoded).
    QString host() const { return m_host; }
    int port() const { return m_port; }
    QString userName() const { return m_user; }
    QString password() const { return m_password; }
    QString databaseName() const { return m_database; }
    // Extra libpq options from the query string, "key=value;key=value" (QPSQL's format).
    QString connectOptions() const { return m_options; }

    // The URL with the password replaced by "***", for logs and error messages.
    QString redacted() const;

private:
    Backend m_backend = Backend::Sqlite;
    QString m_path;
    QString m_host;
    int m_port = 5432;
    QString m_user;
    QString m_password;
    QString m_database;
    QString m_options;
};

} // namespace veza::storage
