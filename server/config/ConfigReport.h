#pragma once

#include "config/ServerConfig.h"

#include <QString>

namespace veza::config {

// The effective configuration as `NAME=value` lines grouped as in the production guide, with
// secrets redacted and not-yet-active features marked: what `--check-config` prints.
QString effectiveConfigReport(const ServerConfig &config);

// A URL as it may be shown in a log line: any password replaced by ***.
QString urlWithoutPassword(QString url);

// The `--help` text: usage plus every variable with its default.
QString helpText(const QString &programName);

} // namespace veza::config
