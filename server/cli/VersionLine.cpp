#include "cli/VersionLine.h"

#include "VezaCommit.h"
#include "VezaVersion.h"

namespace veza::cli {

QString versionLine(const QString &program)
{
    return QStringLiteral("%1 %2 (commit %3)")
        .arg(program, QLatin1StringView(kVersion), QLatin1StringView(kCommit));
}

} // namespace veza::cli
