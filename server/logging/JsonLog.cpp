#include "logging/JsonLog.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QStringList>
#include <unistd.h>

namespace veza::logging {
namespace {

LogIdentity g_identity; // written once at start, before any thread logs
thread_local const QJsonObject *t_pendingFields = nullptr;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warn";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

void writeLine(QByteArray line)
{
    line.append('\n');
    // One write(2) per line: lines from different threads never interleave (pipes guarantee
    // atomicity up to PIPE_BUF) and nothing sits in a stdio buffer when the process dies.
    const char *data = line.constData();
    qsizetype left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDOUT_FILENO, data, static_cast<size_t>(left));
        if (n <= 0)
            return;
        data += n;
        left -= n;
    }
}

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    static const QJsonObject noFields;
    const QJsonObject &fields = t_pendingFields ? *t_pendingFields : noFields;
    writeLine(formatLine(g_identity, type, context.category, message, fields));
    if (type == QtFatalMsg)
        ::abort();
}

int rank(const QString &level)
{
    static const QStringList order{QStringLiteral("error"), QStringLiteral("warn"),
                                   QStringLiteral("info"), QStringLiteral("debug"),
                                   QStringLiteral("trace")};
    const qsizetype index = order.indexOf(level.trimmed().toLower());
    return index < 0 ? 2 : static_cast<int>(index);
}

QString rulesForLevel(const QString &pattern, int levelRank)
{
    auto onOff = [](bool on) { return on ? QStringLiteral("true") : QStringLiteral("false"); };
    return QStringLiteral("%1.critical=true\n%1.warning=%2\n%1.info=%3\n%1.debug=%4\n")
        .arg(pattern, onOff(levelRank >= 1), onOff(levelRank >= 2), onOff(levelRank >= 3));
}

} // namespace

QByteArray formatLine(const LogIdentity &identity, QtMsgType type, const char *category,
                      const QString &message, const QJsonObject &fields)
{
    QJsonObject line;
    line.insert(QStringLiteral("ts"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    line.insert(QStringLiteral("level"), QLatin1StringView(levelName(type)));
    line.insert(QStringLiteral("service"), identity.service);
    line.insert(QStringLiteral("version"), identity.version);
    line.insert(QStringLiteral("environment"), identity.environment);
    line.insert(QStringLiteral("module"), QLatin1StringView(category ? category : "default"));
    line.insert(QStringLiteral("message"), message);
    if (!fields.isEmpty())
        line.insert(QStringLiteral("fields"), fields);
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

void installJsonLogHandler(const LogIdentity &identity)
{
    g_identity = identity;
    qInstallMessageHandler(handleMessage);
}

QString categoryRulesFor(const QString &levelSpec)
{
    QString rules;
    QStringList overrides;
    for (const QString &part : levelSpec.split(u',', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        if (eq < 0) {
            rules.prepend(rulesForLevel(QStringLiteral("*"), rank(part)));
        } else {
            // `veza.storage` also covers its sub-modules (`veza.storage.migrations`).
            const QString module = part.left(eq).trimmed();
            overrides.append(rulesForLevel(module + u'*', rank(part.mid(eq + 1))));
        }
    }
    if (rules.isEmpty())
        rules = rulesForLevel(QStringLiteral("*"), rank(QStringLiteral("info")));
    // Later rules win in Qt, so module overrides come after the base level.
    return rules + overrides.join(QString());
}

void applyLogLevel(const QString &levelSpec)
{
    QLoggingCategory::setFilterRules(categoryRulesFor(levelSpec));
}

void log(const QLoggingCategory &category, QtMsgType type, const QString &message,
         const QJsonObject &fields)
{
    if (!category.isEnabled(type))
        return;
    t_pendingFields = &fields;
    QMessageLogger logger(nullptr, 0, nullptr, category.categoryName());
    switch (type) {
    case QtDebugMsg:
        logger.debug(category).noquote() << message;
        break;
    case QtInfoMsg:
        logger.info(category).noquote() << message;
        break;
    case QtWarningMsg:
        logger.warning(category).noquote() << message;
        break;
    default:
        logger.critical(category).noquote() << message;
        break;
    }
    t_pendingFields = nullptr;
}

} // namespace veza::logging
