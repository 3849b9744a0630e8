#pragma once

#include <QJsonObject>
#include <QLoggingCategory>
#include <QString>

// Structured logging: one JSON object per line on stdout
// {"ts","level","service","version","environment","module","message","fields"}.
// Modules log through their own QLoggingCategory (e.g. "veza.net"), so LOG_LEVEL rules such
// as `info,veza.storage=debug` select what is written. Safe from any thread.
namespace veza::logging {

struct LogIdentity
{
    QString service;
    QString version;
    QString environment;
};

// Routes every Qt message (qCInfo, qWarning, ...) through the JSON writer.
void installJsonLogHandler(const LogIdentity &identity);

// Turns a level specification (`info`, `warn,veza.storage=debug`) into Qt category rules.
// `trace` is treated as `debug` (Qt has no finer level).
QString categoryRulesFor(const QString &levelSpec);
void applyLogLevel(const QString &levelSpec);

// Logs `message` with structured `fields` when the category enables `type`.
void log(const QLoggingCategory &category, QtMsgType type, const QString &message,
         const QJsonObject &fields);

// One JSON log line, without the trailing newline (exposed for tests).
QByteArray formatLine(const LogIdentity &identity, QtMsgType type, const char *category,
                      const QString &message, const QJsonObject &fields);

} // namespace veza::logging
