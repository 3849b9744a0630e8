#pragma once

#include <QString>

namespace veza::ops {

// Tells the service manager how the server's life goes (systemd's Type=notify protocol,
// sd_notify(3)): systemd counts the service started only at READY=1 and shows STATUS= in
// `systemctl status`. Each call does nothing when NOTIFY_SOCKET is unset (not run by systemd
// with Type=notify). Main thread.
namespace serviceManager {

// The ports listen and /health/ready answers 200.
void notifyReady(const QString &status);

// A graceful shutdown began. It may take up to `shutdownTimeoutS` (SHUTDOWN_TIMEOUT_S) plus
// the final writes: systemd is asked not to kill the server before that (EXTEND_TIMEOUT_USEC),
// whatever the unit's TimeoutStopSec.
void notifyStopping(int shutdownTimeoutS);

} // namespace serviceManager
} // namespace veza::ops
