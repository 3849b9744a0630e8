#include "streaming/StreamTypes.h"

#include <algorithm>

namespace veza::streaming {
namespace {

bool isLowerAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}

} // namespace

QString streamNameProblem(QStringView name)
{
    if (name.isEmpty())
        return QStringLiteral("name is required");
    if (name.size() > maxNameLength)
        return QStringLiteral("name is longer than %1 characters").arg(maxNameLength);
    if (!isLowerAlnum(name.front()))
        return QStringLiteral("name must start with a lowercase letter or a digit");
    for (QChar c : name) {
        if (!isLowerAlnum(c) && c != u'_' && c != u'-')
            return QStringLiteral("name may only contain a-z, 0-9, '_' and '-'");
    }
    return {};
}

QString mountPath(const QString &name)
{
    return QStringLiteral("/live/") + name;
}

QString streamEndReasonText(StreamEndReason reason)
{
    switch (reason) {
    case StreamEndReason::SourceLeft:
        return QStringLiteral("source_left");
    case StreamEndReason::Deleted:
        return QStringLiteral("deleted");
    case StreamEndReason::Shutdown:
        return QStringLiteral("shutdown");
    }
    return {};
}

bool hasControlCharacters(QStringView text)
{
    return std::any_of(text.begin(), text.end(),
                       [](QChar c) { return c.category() == QChar::Other_Control; });
}

} // namespace veza::streaming
