#include "OncallLog.h"

Q_LOGGING_CATEGORY(lcOncall, "veza.console.oncall")
