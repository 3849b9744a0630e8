#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>
#include <optional>

namespace veza::testing {

// A throwaway redis-server (Debian's) for one test: a free loopback port picked once, no
// persistence, a temporary directory. kill() ends it as a crash would (SIGKILL), pause() and
// resume() freeze it (SIGSTOP/SIGCONT) like a stuck Redis; start() again brings it back on the
// same port, so URLs stay valid. `extraArguments` are redis-server options (--user ...). With
// `tls`, the port speaks TLS only (rediss://) with that certificate and key. Test main thread;
// the destructor stops it.
class RedisHarness
{
public:
    struct TlsFiles
    {
        QString certificate;
        QString key;
    };

    explicit RedisHarness(QStringList extraArguments = {}, std::optional<TlsFiles> tls = {});
    ~RedisHarness();
    RedisHarness(const RedisHarness &) = delete;
    RedisHarness &operator=(const RedisHarness &) = delete;

    bool start(); // false (see errorString()) when it does not answer PING within 10 s
    void kill();
    void pause();
    void resume();
    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }
    QString errorString() const { return m_error; }

    int port() const { return m_port; }
    QString directory() const { return m_dir.path(); }
    // redis://127.0.0.1:<port>/<database> (rediss:// with TLS)
    QString url(int database = 0) const;
    // Runs redis-cli with `arguments` against this server (`-a` etc. given by the caller);
    // its standard output, trimmed.
    QByteArray cli(const QStringList &arguments) const;

private:
    QTemporaryDir m_dir;
    QStringList m_extraArguments;
    std::optional<TlsFiles> m_tls;
    std::unique_ptr<QProcess> m_process;
    int m_port = 0;
    QString m_error;
};

} // namespace veza::testing
