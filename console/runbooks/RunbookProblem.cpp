#include "RunbookProblem.h"

#include <QCoreApplication>
#include <QDir>

QString RunbookProblem::toString() const
{
    const QString where = line > 0 ? QDir::toNativeSeparators(file) + u':' + QString::number(line)
                                   : QDir::toNativeSeparators(file);
    const QString kind = isError() ? QCoreApplication::translate("RunbookProblem", "error")
                                   : QCoreApplication::translate("RunbookProblem", "warning");
    return where + QStringLiteral(": ") + kind + QStringLiteral(": ") + message;
}
