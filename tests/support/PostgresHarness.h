#pragma once

#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <optional>

namespace veza::testing {

// PostgresHarness: a throwaway PostgreSQL server for one test executable, used from the
// test's main thread.
//
// start() runs initdb into a temporary directory (first call only), picks a free loopback
// port and starts the server with pg_ctl (listen_addresses=127.0.0.1, socket in the temp
// dir, fsync=off, trust authentication for the superuser "veza"), then creates the database
// "veza". stop() and start() again restart the same cluster on the same port, so URLs stay
// valid (the health tests stop PostgreSQL under a running server). The destructor stops the
// server and removes everything.
//
// Binaries come from $VEZA_PG_BIN_DIR, else the newest /usr/lib/postgresql/*/bin, else PATH.
// Missing binaries are an error with an explicit message (never a skip). When the tests run
// as root, initdb/pg_ctl run as the "postgres" system user (runuser), because PostgreSQL
// refuses to run as root; the temp dir is then owned by that user.
class PostgresHarness
{
public:
    PostgresHarness();
    ~PostgresHarness();

    PostgresHarness(const PostgresHarness &) = delete;
    PostgresHarness &operator=(const PostgresHarness &) = delete;

    bool start(); // false on failure; see errorString()
    bool stop();  // fast shutdown; false on failure
    bool isRunning() const { return m_running; }
    QString errorString() const { return m_error; }

    int port() const { return m_port; }
    QString dataDirectory() const;
    // The server's log (its stderr): what log_statement and friends write.
    QString logFile() const;
    // postgresql://veza:veza@127.0.0.1:<port>/<database> (the password is ignored: trust).
    QString url(const QString &database = QStringLiteral("veza")) const;
    // Creates a fresh database ([a-z0-9_]+) and returns its URL; nullopt + errorString().
    std::optional<QString> createDatabase(const QString &name);

    // Directory holding initdb and pg_ctl, or empty with *error saying what is missing.
    static QString findBinDir(QString *error);

private:
    bool initCluster();
    bool runTool(const QString &tool, const QStringList &arguments, int timeoutMs);
    bool fail(const QString &message);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_binDir;
    int m_port = 0;
    bool m_initialized = false;
    bool m_running = false;
    QString m_error;
};

} // namespace veza::testing
