#pragma once

#include <QString>

namespace veza::net {

// A peer's address as people write it: an IPv4 client of a dual-stack socket shows as
// 127.0.0.1, not ::ffff:127.0.0.1 (listener history, logs).
QString plainPeerAddress(const QString &address);

} // namespace veza::net
