#include "PrometheusHarness.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTest>

namespace veza::testing {
namespace {

quint16 freeLoopbackPort()
{
    // Prometheus takes an address, not a socket: ask the kernel for a free port, let it go
    // and hand it over (a race no other test of this suite runs into).
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

PrometheusHarness::PrometheusHarness(QString binary)
    : m_binary(std::move(binary))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&m_process, &QProcess::readyRead, [this] { m_log += m_process.readAll(); });
}

PrometheusHarness::~PrometheusHarness()
{
    stop();
}

bool PrometheusHarness::isAvailable(QString *why) const
{
    const QFileInfo info(m_binary);
    if (m_binary.isEmpty() || !info.isExecutable()) {
        *why = QStringLiteral("prometheus not found (Debian package \"prometheus\"; "
                              "packaging/install-deps.sh installs it)%1")
                   .arg(m_binary.isEmpty() ? QString() : QStringLiteral(": ") + m_binary);
        return false;
    }
    return true;
}

bool PrometheusHarness::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool PrometheusHarness::writeConfiguration()
{
    QByteArray config = "global:\n"
                        "  scrape_interval: 1s\n"
                        "  scrape_timeout: 1s\n"
                        "  evaluation_interval: 1s\n";
    if (!m_rules.isEmpty()) {
        config += "rule_files:\n";
        for (qsizetype i = 0; i < m_rules.size(); ++i) {
            const QString path = m_dir.filePath(QStringLiteral("rules-%1.yml").arg(i));
            if (!writeFile(path, m_rules.at(i)))
                return fail(QStringLiteral("cannot write ") + path);
            config += "  - " + path.toUtf8() + '\n';
        }
    }
    config += "scrape_configs:\n"
              "  - job_name: veza\n"
              "    static_configs:\n"
              "      - targets: [";
    for (qsizetype i = 0; i < m_targets.size(); ++i)
        config += (i ? ", '" : "'") + m_targets.at(i).toUtf8() + '\'';
    config += "]\n";
    const QString path = m_dir.filePath(QStringLiteral("prometheus.yml"));
    return writeFile(path, config) || fail(QStringLiteral("cannot write ") + path);
}

bool PrometheusHarness::start(int timeoutMs)
{
    QString why;
    if (!isAvailable(&why))
        return fail(why);
    if (!m_dir.isValid())
        return fail(QStringLiteral("no temporary directory"));
    if (!writeConfiguration())
        return false;
    m_port = freeLoopbackPort();
    if (m_port == 0)
        return fail(QStringLiteral("no free port"));
    m_process.start(
        m_binary,
        {QStringLiteral("--config.file=") + m_dir.filePath(QStringLiteral("prometheus.yml")),
         QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("data")),
         QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
         QStringLiteral("--log.level=warn")});
    if (!m_process.waitForStarted(10000))
        return fail(QStringLiteral("cannot start %1: %2").arg(m_binary, m_process.errorString()));

    // Ready when /-/ready says so (the configuration and rules are loaded by then).
    QNetworkAccessManager network;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning)
            return fail(QStringLiteral("prometheus exited: ") + output());
        QNetworkRequest request(url().resolved(QUrl(QStringLiteral("/-/ready"))));
        request.setTransferTimeout(1000);
        QNetworkReply *reply = network.get(request);
        for (QDeadlineTimer answer(2000); !reply->isFinished() && !answer.hasExpired();)
            QTest::qWait(20);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        if (status == 200)
            return true;
        QTest::qWait(100);
    }
    return fail(
        QStringLiteral("prometheus not ready within %1 ms: %2").arg(timeoutMs).arg(output()));
}

void PrometheusHarness::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QUrl PrometheusHarness::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QString PrometheusHarness::output()
{
    m_log += m_process.readAll();
    return QString::fromUtf8(m_log);
}

} // namespace veza::testing
