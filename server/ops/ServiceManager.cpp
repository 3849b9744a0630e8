#include "ops/ServiceManager.h"

#include <QLoggingCategory>
#include <systemd/sd-daemon.h>

Q_LOGGING_CATEGORY(lcServiceManager, "veza.server")

namespace veza::ops::serviceManager {
namespace {

// After the drain deadline the server still waits for the audio pipelines (2 s), the encode
// pool (2 s) and the queued database writes (at least 1 s): ServerApp::finishShutdown().
constexpr long long kFinalWritesS = 10;

void notify(const QByteArray &state)
{
    // 0: no NOTIFY_SOCKET, nothing to tell; < 0: the socket is there but refused the datagram.
    const int result = ::sd_notify(0, state.constData());
    if (result < 0)
        qCWarning(lcServiceManager).noquote()
            << "cannot notify the service manager:" << qt_error_string(-result);
}

} // namespace

void notifyReady(const QString &status)
{
    notify("READY=1\nSTATUS=" + status.toUtf8());
}

void notifyStopping(int shutdownTimeoutS)
{
    const long long extendUs = (shutdownTimeoutS + kFinalWritesS) * 1000000LL;
    notify("STOPPING=1\nSTATUS=draining connections\nEXTEND_TIMEOUT_USEC=" +
           QByteArray::number(extendUs));
}

} // namespace veza::ops::serviceManager
