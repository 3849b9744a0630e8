#include "RunbookFieldReader.h"

#include <QRegularExpression>

namespace {
const QString kEnglish = QStringLiteral("en");
} // namespace

RunbookFieldReader::RunbookFieldReader(const QByteArray &json, const QString &file,
                                       const QString &language)
    : m_index(json)
    , m_file(file)
    , m_language(language)
{
}

void RunbookFieldReader::error(const QString &pointer, const QString &message)
{
    m_failed = true;
    report(RunbookProblem::Level::Error, pointer, message);
}

void RunbookFieldReader::warning(const QString &pointer, const QString &message)
{
    report(RunbookProblem::Level::Warning, pointer, message);
}

void RunbookFieldReader::checkFields(const QJsonObject &object, const QString &pointer,
                                     const QStringList &known)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key())) {
            warning(JsonLineIndex::childPointer(pointer, it.key()),
                    tr("unknown field, ignored (known: %1)").arg(known.join(QStringLiteral(", "))));
        }
    }
}

std::optional<QJsonValue> RunbookFieldReader::member(const QJsonObject &object,
                                                     const QString &pointer, const QString &key,
                                                     QJsonValue::Type type, bool required)
{
    if (!object.contains(key)) {
        if (required)
            error(pointer, tr("missing field \"%1\"").arg(key));
        return std::nullopt;
    }
    const QJsonValue value = object.value(key);
    if (value.type() != type) {
        error(JsonLineIndex::childPointer(pointer, key), tr("must be %1").arg(typeName(type)));
        return std::nullopt;
    }
    return value;
}

RunbookFieldReader::Text RunbookFieldReader::text(const QJsonObject &object, const QString &pointer,
                                                  const QString &key, bool required)
{
    Text result;
    const QString at = JsonLineIndex::childPointer(pointer, key);
    if (!object.contains(key)) {
        if (required)
            error(pointer, tr("missing field \"%1\"").arg(key));
        return result;
    }
    const QJsonValue value = object.value(key);
    if (value.isString()) {
        result.picked = value.toString();
        result.variants = {result.picked};
    } else if (value.isObject()) {
        const QJsonObject translations = value.toObject();
        for (auto it = translations.begin(); it != translations.end(); ++it) {
            if (!it->isString()) {
                error(JsonLineIndex::childPointer(at, it.key()), tr("must be a string"));
                return result;
            }
            result.variants.append(it->toString());
        }
        if (!translations.contains(kEnglish)) {
            error(at, tr("no English text (\"en\"), which every language falls back to"));
            return result;
        }
        if (translations.contains(m_language)) {
            result.picked = translations.value(m_language).toString();
        } else {
            result.picked = translations.value(kEnglish).toString();
            m_untranslated.append(at);
        }
    } else {
        error(at, tr("must be a string or an object of translations such as "
                     "{\"en\": \"...\", \"fr\": \"...\"}"));
        return result;
    }
    for (const QString &variant : std::as_const(result.variants)) {
        if (required && variant.trimmed().isEmpty()) {
            error(at, tr("must not be empty"));
            return result;
        }
    }
    return result;
}

QString RunbookFieldReader::identifier(const QJsonObject &object, const QString &pointer,
                                       const QString &key)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9-]*$"));
    const auto value = member(object, pointer, key, QJsonValue::String, true);
    if (!value)
        return {};
    const QString id = value->toString();
    if (!pattern.match(id).hasMatch()) {
        error(JsonLineIndex::childPointer(pointer, key),
              tr("\"%1\" is not an id: use lower-case letters, digits and '-', starting with a "
                 "letter or digit")
                  .arg(id));
        return {};
    }
    return id;
}

QString RunbookFieldReader::typeName(QJsonValue::Type type)
{
    switch (type) {
    case QJsonValue::String:
        return tr("a string");
    case QJsonValue::Array:
        return tr("an array");
    case QJsonValue::Object:
        return tr("an object");
    case QJsonValue::Double:
        return tr("a number");
    default:
        return tr("another type");
    }
}

void RunbookFieldReader::report(RunbookProblem::Level level, const QString &pointer,
                                const QString &message)
{
    const QString path = JsonLineIndex::readablePath(pointer);
    m_problems.append({level, m_file, m_index.lineOf(pointer),
                       path.isEmpty() ? message : path + QStringLiteral(": ") + message});
}
