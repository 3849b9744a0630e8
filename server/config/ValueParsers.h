#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

// Parsers for configuration values. Each returns nothing when the text is not acceptable;
// the caller reports the variable with `expected` text.
namespace veza::config::parse {

std::optional<qint64> integer(const QString &text, qint64 min, qint64 max);
std::optional<bool> boolean(const QString &text); // true/false/1/0/yes/no/on/off
// A comma-separated list, trimmed, empty items dropped.
QStringList list(const QString &text);
// An AES-256 key: 64 hex digits, or standard/URL-safe base64 of exactly 32 bytes.
std::optional<QByteArray> key32(const QString &text);
// A log level specification: `level` or `level,module=level,...`.
bool logLevelSpec(const QString &text, QString *badPart);

} // namespace veza::config::parse
