#pragma once

#include <QLoggingCategory>

// The on-call library's log category: LOG_LEVEL / QT_LOGGING_RULES "veza.console.oncall".
Q_DECLARE_LOGGING_CATEGORY(lcOncall)
