#include "PulseAudioSink.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QThread>

namespace veza::testing {

PulseAudioSink::~PulseAudioSink()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(3000))
            m_process.kill();
        m_process.waitForFinished(3000);
    }
}

bool PulseAudioSink::start()
{
    const QString program = QStandardPaths::findExecutable(QStringLiteral("pulseaudio"));
    if (program.isEmpty()) {
        m_error = QStringLiteral("pulseaudio is not installed (packaging/install-deps.sh)");
        return false;
    }
    const QString socket = m_dir.filePath(QStringLiteral("native"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), m_dir.path());
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_dir.path());
    m_process.setProcessEnvironment(environment);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(program,
                    {QStringLiteral("--daemonize=no"), QStringLiteral("--exit-idle-time=-1"),
                     QStringLiteral("--use-pid-file=false"), QStringLiteral("-n"),
                     QStringLiteral("--load=module-null-sink sink_name=veza_test"),
                     QStringLiteral("--load=module-native-protocol-unix socket=%1 "
                                    "auth-anonymous=1")
                         .arg(socket)});
    QDeadlineTimer deadline(10000);
    while (!QFile::exists(socket) && !deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning) {
            m_error =
                QStringLiteral("pulseaudio exited: ") + QString::fromLocal8Bit(m_process.readAll());
            return false;
        }
        QThread::msleep(50);
    }
    if (!QFile::exists(socket)) {
        m_error = QStringLiteral("pulseaudio did not open its socket");
        return false;
    }
    qputenv("PULSE_SERVER", ("unix:" + socket).toLocal8Bit());
    return true;
}

} // namespace veza::testing
