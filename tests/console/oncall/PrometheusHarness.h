#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

namespace veza::testing {

// PrometheusHarness: a throwaway Prometheus server for one test (the Debian package's
// /usr/bin/prometheus): a generated configuration scraping the given targets as job "veza"
// every second, optional rule files evaluated every second, its database in a temporary
// directory, listening on a free loopback port. start() waits until /-/ready answers 200.
// The destructor stops it and removes everything. Test main thread.
class PrometheusHarness
{
public:
    explicit PrometheusHarness(QString binary);
    ~PrometheusHarness();

    PrometheusHarness(const PrometheusHarness &) = delete;
    PrometheusHarness &operator=(const PrometheusHarness &) = delete;

    // The binary given at construction, when it exists and can run; else a reason.
    bool isAvailable(QString *why) const;

    // "host:port" of each target to scrape (path /metrics), and rule files' YAML texts.
    void addTarget(const QString &hostPort) { m_targets.append(hostPort); }
    void addRules(const QByteArray &yaml) { m_rules.append(yaml); }

    bool start(int timeoutMs = 30000); // false on failure; see errorString()
    void stop();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    QString errorString() const { return m_error; }
    QUrl url() const; // http://127.0.0.1:<port>
    QString output(); // what Prometheus logged, for failure messages

private:
    bool writeConfiguration();
    bool fail(const QString &message);

    QString m_binary;
    QTemporaryDir m_dir;
    QProcess m_process;
    QStringList m_targets;
    QList<QByteArray> m_rules;
    quint16 m_port = 0;
    QString m_error;
    QByteArray m_log;
};

} // namespace veza::testing
