#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

// Where things are in the text of a JSON document, which QJsonDocument forgets: the line of
// each member's key and of each array element, by JSON pointer ("/steps/2/figure"), so a schema
// error can name the line to fix. Built from a document that parsed. Any thread.
class JsonLineIndex
{
public:
    explicit JsonLineIndex(const QByteArray &json);

    // The line of the value at `pointer` (of its key for an object member); for a pointer that
    // is not in the document (a missing member), the line of its nearest enclosing value.
    int lineOf(const QString &pointer) const;

    // The 1-based line of a byte offset.
    static int lineAtOffset(const QByteArray &json, qsizetype offset);
    // The line to fix for a syntax error QJsonParseError reports at `offset`: that of the
    // offset, unless a string before it runs across a line end (JSON strings cannot), which is
    // where a missing quote is: the parser only notices it lines later, or at the end.
    static int syntaxErrorLine(const QByteArray &json, qsizetype offset);
    // "/steps/2/figure" -> "steps[2].figure", for messages.
    static QString readablePath(const QString &pointer);
    static QString childPointer(const QString &pointer, const QString &key);
    static QString childPointer(const QString &pointer, qsizetype index);

private:
    QHash<QString, int> m_lines;
};
