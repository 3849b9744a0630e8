#include "support/RedisHarness.h"

#include "support/FreePort.h"

#include <QDeadlineTimer>
#include <QSslSocket>
#include <QThread>
#include <csignal>

namespace veza::testing {

RedisHarness::RedisHarness(QStringList extraArguments, std::optional<TlsFiles> tls)
    : m_extraArguments(std::move(extraArguments))
    , m_tls(std::move(tls))
    , m_port(freeLoopbackPort())
{
}

RedisHarness::~RedisHarness()
{
    if (isRunning()) {
        resume();
        m_process->terminate();
        if (!m_process->waitForFinished(5000))
            kill();
    }
}

bool RedisHarness::start()
{
    if (isRunning())
        return true;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setWorkingDirectory(m_dir.path());
    const QString port = QString::number(m_port);
    QStringList arguments{QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
                          QStringLiteral("--port"),       m_tls ? QStringLiteral("0") : port,
                          QStringLiteral("--save"),       QString(),
                          QStringLiteral("--appendonly"), QStringLiteral("no"),
                          QStringLiteral("--dir"),        m_dir.path(),
                          QStringLiteral("--daemonize"),  QStringLiteral("no")};
    if (m_tls) {
        arguments += {QStringLiteral("--tls-port"),         port,
                      QStringLiteral("--tls-cert-file"),    m_tls->certificate,
                      QStringLiteral("--tls-key-file"),     m_tls->key,
                      QStringLiteral("--tls-auth-clients"), QStringLiteral("no")};
    }
    arguments += m_extraArguments;
    m_process->start(QStringLiteral("redis-server"), arguments);
    if (!m_process->waitForStarted(5000)) {
        m_error = QStringLiteral("redis-server did not start (apt install redis-server): %1")
                      .arg(m_process->errorString());
        return false;
    }
    // Ready once it answers on its port (with a password, NOAUTH is an answer too).
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        QSslSocket probe;
        probe.setPeerVerifyMode(QSslSocket::VerifyNone);
        if (m_tls)
            probe.connectToHostEncrypted(QStringLiteral("127.0.0.1"), quint16(m_port));
        else
            probe.connectToHost(QStringLiteral("127.0.0.1"), quint16(m_port));
        if (m_tls ? probe.waitForEncrypted(500) : probe.waitForConnected(200)) {
            probe.write("PING\r\n");
            if (probe.waitForReadyRead(1000) && !probe.readAll().isEmpty())
                return true;
        }
        if (m_process->state() != QProcess::Running)
            break;
        QThread::msleep(50);
    }
    m_error = QStringLiteral("redis-server did not answer: %1")
                  .arg(QString::fromUtf8(m_process->readAll()));
    return false;
}

void RedisHarness::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
}

void RedisHarness::pause()
{
    if (isRunning())
        ::kill(pid_t(m_process->processId()), SIGSTOP);
}

void RedisHarness::resume()
{
    if (isRunning())
        ::kill(pid_t(m_process->processId()), SIGCONT);
}

QString RedisHarness::url(int database) const
{
    return QStringLiteral("%1://127.0.0.1:%2/%3")
        .arg(m_tls ? QStringLiteral("rediss") : QStringLiteral("redis"))
        .arg(m_port)
        .arg(database);
}

QByteArray RedisHarness::cli(const QStringList &arguments) const
{
    QProcess cli;
    QStringList options{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                        QString::number(m_port)};
    if (m_tls)
        options += {QStringLiteral("--tls"), QStringLiteral("--insecure")};
    cli.start(QStringLiteral("redis-cli"), options + arguments);
    cli.waitForFinished(5000);
    return cli.readAllStandardOutput().trimmed();
}

} // namespace veza::testing
