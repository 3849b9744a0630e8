#pragma once

#include <QLoggingCategory>

namespace veza::storage {

// Logging category "veza.storage" for everything in the persistence layer (any thread).
Q_DECLARE_LOGGING_CATEGORY(lcStorage)

} // namespace veza::storage
