#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <memory>

namespace veza::testing {

class PostgresHarness;

// The real veza-server binary run by a test: free ports (PORT=0...), a throwaway DATA_DIR and
// SQLite database unless overridden, JSON log lines collected from stdout. Test main thread.
class ServerProcess
{
public:
    ServerProcess();
    ~ServerProcess();

    void setEnv(const QString &name, const QString &value) { m_environment.insert(name, value); }
    QString dataDir() const { return m_dir.path(); }

    // Starts and waits for the "listening" log line; false if the process exited first. With
    // VEZA_TEST_DATABASE=postgresql in the test's environment (CTest's *_postgresql entries)
    // and no DATABASE_URL set by the test, the server runs on a throwaway PostgreSQL cluster
    // started here.
    bool start(int timeoutMs = 30000);
    void sendSignal(int signalNumber);
    bool waitForExit(int timeoutMs);
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 processId() const { return m_process.processId(); }

    quint16 httpPort() const { return m_httpPort; }
    quint16 webSocketPort() const { return m_webSocketPort; }
    quint16 metricsPort() const { return m_metricsPort; }

    // An access token signed with this server's secret (`veza-server token`), for chat tests.
    QByteArray token(const QString &user, const QString &roles = {}, const QString &ttl = {});
    QProcessEnvironment environment() const { return m_environment; }

    QList<QJsonObject> logLines();
    // The first log line whose message contains `text`, or an empty object.
    QJsonObject findLog(const QString &text);
    QByteArray stderrText();
    QString diagnostics(); // stdout + stderr, for failure messages

    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    // Runs the binary to completion (for --help, --check-config, bad configuration).
    static Run run(const QStringList &arguments, const QProcessEnvironment &environment,
                   int timeoutMs = 15000);
    static QString binary();

private:
    void readOutput();
    bool usePostgres();

    QTemporaryDir m_dir;
    std::unique_ptr<PostgresHarness> m_postgres;
    QString m_startError;
    QProcessEnvironment m_environment;
    QProcess m_process;
    QByteArray m_partialLine;
    QList<QJsonObject> m_lines;
    QByteArray m_rawOut;
    quint16 m_httpPort = 0;
    quint16 m_webSocketPort = 0;
    quint16 m_metricsPort = 0;
};

} // namespace veza::testing
