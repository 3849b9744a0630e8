#include "storage/StorageLog.h"

namespace veza::storage {

Q_LOGGING_CATEGORY(lcStorage, "veza.storage")

} // namespace veza::storage
