#include "config/ValueParsers.h"

#include <QRegularExpression>

namespace veza::config::parse {

std::optional<qint64> integer(const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok, 10);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

std::optional<bool> boolean(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"true" || t == u"1" || t == u"yes" || t == u"on")
        return true;
    if (t == u"false" || t == u"0" || t == u"no" || t == u"off")
        return false;
    return std::nullopt;
}

QStringList list(const QString &text)
{
    QStringList items;
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts)) {
        const QString trimmed = item.trimmed();
        if (!trimmed.isEmpty())
            items.append(trimmed);
    }
    return items;
}

std::optional<QByteArray> key32(const QString &text)
{
    const QByteArray raw = text.trimmed().toLatin1();
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-fA-F]{64}$"));
    if (hex64.match(QString::fromLatin1(raw)).hasMatch())
        return QByteArray::fromHex(raw);
    for (auto options : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        auto decoded =
            QByteArray::fromBase64Encoding(raw, options | QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && decoded.decoded.size() == 32)
            return decoded.decoded;
    }
    return std::nullopt;
}

bool logLevelSpec(const QString &text, QString *badPart)
{
    static const QStringList levels{QStringLiteral("error"), QStringLiteral("warn"),
                                    QStringLiteral("info"), QStringLiteral("debug"),
                                    QStringLiteral("trace")};
    static const QRegularExpression moduleName(QStringLiteral("^[A-Za-z0-9_.:*-]+$"));
    const QStringList parts = list(text);
    if (parts.isEmpty()) {
        *badPart = text;
        return false;
    }
    for (const QString &part : parts) {
        const qsizetype eq = part.indexOf(u'=');
        const QString level = (eq < 0 ? part : part.mid(eq + 1)).toLower();
        const bool moduleOk = eq < 0 || moduleName.match(part.left(eq)).hasMatch();
        if (!levels.contains(level) || !moduleOk) {
            *badPart = part;
            return false;
        }
    }
    return true;
}

} // namespace veza::config::parse
