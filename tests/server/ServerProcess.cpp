#include "ServerProcess.h"

#include "support/PostgresHarness.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QThread>
#include <csignal>

namespace veza::testing {

ServerProcess::ServerProcess()
    : m_environment(QProcessEnvironment::systemEnvironment())
{
    m_environment.insert(QStringLiteral("HOST"), QStringLiteral("127.0.0.1"));
    m_environment.insert(QStringLiteral("PORT"), QStringLiteral("0"));
    m_environment.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
    m_environment.insert(QStringLiteral("PROMETHEUS_PORT"), QStringLiteral("0"));
    m_environment.insert(QStringLiteral("WORKER_THREADS"), QStringLiteral("2"));
    m_environment.insert(QStringLiteral("DATA_DIR"), m_dir.path());
    m_environment.insert(QStringLiteral("DATABASE_URL"),
                         QStringLiteral("sqlite://%1/veza.db").arg(m_dir.path()));
    m_environment.insert(QStringLiteral("LOG_LEVEL"), QStringLiteral("info"));
    m_environment.insert(QStringLiteral("TRACING_ENABLED"), QStringLiteral("false"));
    // A test runner started by systemd must not have its servers notify its own manager.
    m_environment.remove(QStringLiteral("NOTIFY_SOCKET"));
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readOutput(); });
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ServerProcess::binary()
{
    return qEnvironmentVariable("VEZA_SERVER_BINARY");
}

void ServerProcess::readOutput()
{
    const QByteArray chunk = m_process.readAllStandardOutput();
    m_rawOut += chunk;
    m_partialLine += chunk;
    qsizetype newline;
    while ((newline = m_partialLine.indexOf('\n')) >= 0) {
        const QByteArray line = m_partialLine.left(newline);
        m_partialLine.remove(0, newline + 1);
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.isEmpty())
            continue;
        m_lines.append(object);
        if (object.value(QStringLiteral("message")).toString() == u"listening") {
            const QJsonObject fields = object.value(QStringLiteral("fields")).toObject();
            m_httpPort = static_cast<quint16>(fields.value(QStringLiteral("http_port")).toInt());
            m_webSocketPort = static_cast<quint16>(fields.value(QStringLiteral("ws_port")).toInt());
            m_metricsPort =
                static_cast<quint16>(fields.value(QStringLiteral("metrics_port")).toInt());
        }
    }
}

bool ServerProcess::usePostgres()
{
    if (qEnvironmentVariable("VEZA_TEST_DATABASE") != u"postgresql" ||
        !m_environment.value(QStringLiteral("DATABASE_URL")).startsWith(u"sqlite:") || m_postgres)
        return true;
    m_postgres = std::make_unique<PostgresHarness>();
    if (!m_postgres->start()) {
        m_startError = QStringLiteral("PostgreSQL: ") + m_postgres->errorString();
        return false;
    }
    m_environment.insert(QStringLiteral("DATABASE_URL"), m_postgres->url());
    return true;
}

bool ServerProcess::start(int timeoutMs)
{
    if (!usePostgres())
        return false;
    m_process.setProcessEnvironment(m_environment);
    m_process.setWorkingDirectory(m_dir.path());
    m_process.start(binary(), {});
    if (!m_process.waitForStarted(10000))
        return false;
    QDeadlineTimer deadline(timeoutMs);
    while (m_httpPort == 0 && !deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning)
            return false;
        m_process.waitForReadyRead(100);
        readOutput();
    }
    return m_httpPort != 0;
}

void ServerProcess::sendSignal(int signalNumber)
{
    ::kill(static_cast<pid_t>(m_process.processId()), signalNumber);
}

bool ServerProcess::waitForExit(int timeoutMs)
{
    const bool finished =
        m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs);
    readOutput();
    return finished;
}

QByteArray ServerProcess::token(const QString &user, const QString &roles, const QString &ttl)
{
    QStringList arguments{QStringLiteral("token"), QStringLiteral("--user"), user};
    if (!roles.isEmpty())
        arguments << QStringLiteral("--roles") << roles;
    if (!ttl.isEmpty())
        arguments << QStringLiteral("--ttl") << ttl;
    const Run result = run(arguments, m_environment);
    return result.exitCode == 0 ? result.out.trimmed() : QByteArray();
}

QList<QJsonObject> ServerProcess::logLines()
{
    readOutput();
    return m_lines;
}

QJsonObject ServerProcess::findLog(const QString &text)
{
    for (const QJsonObject &line : logLines()) {
        if (line.value(QStringLiteral("message")).toString().contains(text))
            return line;
    }
    return {};
}

QByteArray ServerProcess::stderrText()
{
    return m_process.readAllStandardError();
}

QString ServerProcess::diagnostics()
{
    readOutput();
    return m_startError + QString::fromUtf8(m_rawOut + m_process.readAllStandardError());
}

ServerProcess::Run ServerProcess::run(const QStringList &arguments,
                                      const QProcessEnvironment &environment, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binary(), arguments);
    Run result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace veza::testing
