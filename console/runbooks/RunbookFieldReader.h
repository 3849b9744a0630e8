#pragma once

#include "JsonLineIndex.h"
#include "RunbookProblem.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <optional>

// The field-level rules of a runbook file, for RunbookParser: a member of the expected type, a
// text in the language asked for (falling back to English), an id; each problem recorded with
// the field's path and line. One per file read. Any thread.
class RunbookFieldReader
{
    Q_DECLARE_TR_FUNCTIONS(RunbookFieldReader)

public:
    // A text field: the variant picked, and every variant it has (for checks on all of them).
    struct Text
    {
        QString picked;
        QStringList variants;
    };

    RunbookFieldReader(const QByteArray &json, const QString &file, const QString &language);

    const QList<RunbookProblem> &problems() const { return m_problems; }
    bool failed() const { return m_failed; }
    // JSON pointers of the texts shown in English for lack of a translation.
    const QStringList &untranslated() const { return m_untranslated; }

    void error(const QString &pointer, const QString &message);
    void warning(const QString &pointer, const QString &message);
    int lineOf(const QString &pointer) const { return m_index.lineOf(pointer); }

    // Fields not in `known` are reported (and ignored): most often a misspelt optional field.
    void checkFields(const QJsonObject &object, const QString &pointer, const QStringList &known);
    // The member `key`, present and of `type`, or nullopt (reported when required or mistyped).
    std::optional<QJsonValue> member(const QJsonObject &object, const QString &pointer,
                                     const QString &key, QJsonValue::Type type, bool required);
    // A text: a string, or an object of translations {"en": "...", "fr": "..."} with English.
    Text text(const QJsonObject &object, const QString &pointer, const QString &key, bool required);
    // A runbook or step id: lower-case letters, digits and '-'; empty when wrong (reported).
    QString identifier(const QJsonObject &object, const QString &pointer, const QString &key);

private:
    static QString typeName(QJsonValue::Type type);
    void report(RunbookProblem::Level level, const QString &pointer, const QString &message);

    JsonLineIndex m_index;
    QString m_file;
    QString m_language;
    QList<RunbookProblem> m_problems;
    QStringList m_untranslated;
    bool m_failed = false;
};
