#include "RunbookPlaceholders.h"

#include <QRegularExpression>

namespace {
const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression pattern(QStringLiteral("(?<![$%])\\{([a-z][a-z0-9_]*)\\}"));
    return pattern;
}
} // namespace

QStringList RunbookPlaceholders::namesIn(const QString &command)
{
    QStringList names;
    for (auto it = placeholderPattern().globalMatch(command); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

QString RunbookPlaceholders::fill(const QString &command, const QHash<QString, QString> &values)
{
    QString result;
    qsizetype copied = 0;
    for (auto it = placeholderPattern().globalMatch(command); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const auto value = values.constFind(match.captured(1));
        if (value == values.constEnd())
            continue;
        result += QStringView(command).mid(copied, match.capturedStart() - copied);
        result += *value;
        copied = match.capturedEnd();
    }
    result += QStringView(command).mid(copied);
    return result;
}
