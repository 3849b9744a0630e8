#include "JsonLineIndex.h"

#include <QList>

namespace {
struct Container
{
    bool isArray = false;
    QString pointer;
    qsizetype index = 0;      // arrays: the element being read
    bool expectingKey = true; // objects: the next string is a key
    QString memberPointer;    // objects: the member whose value comes next
};

// Reads the string starting at json[pos] == '"'; leaves pos after its closing quote. Keys of
// runbook files are ASCII, but escapes are decoded so that a pointer matches QJsonObject's key.
QString readString(const QByteArray &json, qsizetype &pos)
{
    QByteArray raw;
    QString decoded;
    ++pos;
    while (pos < json.size() && json.at(pos) != '"') {
        const char c = json.at(pos);
        if (c != '\\') {
            raw.append(c);
            ++pos;
            continue;
        }
        decoded += QString::fromUtf8(raw);
        raw.clear();
        const char escaped = pos + 1 < json.size() ? json.at(pos + 1) : '\0';
        pos += 2;
        switch (escaped) {
        case 'b':
            decoded += u'\b';
            break;
        case 'f':
            decoded += u'\f';
            break;
        case 'n':
            decoded += u'\n';
            break;
        case 'r':
            decoded += u'\r';
            break;
        case 't':
            decoded += u'\t';
            break;
        case 'u':
            decoded += QChar(json.mid(pos, 4).toUShort(nullptr, 16));
            pos += 4;
            break;
        default:
            decoded += QLatin1Char(escaped);
        }
    }
    ++pos;
    return decoded + QString::fromUtf8(raw);
}
} // namespace

JsonLineIndex::JsonLineIndex(const QByteArray &json)
{
    QList<Container> stack;
    int line = 1;
    qsizetype pos = 0;

    // A value starts at `pos`: note its line and return its pointer.
    auto valueStarts = [&]() -> QString {
        QString pointer;
        if (!stack.isEmpty()) {
            Container &top = stack.last();
            pointer = top.isArray ? childPointer(top.pointer, top.index) : top.memberPointer;
            if (top.isArray)
                m_lines.insert(pointer, line);
        } else {
            m_lines.insert(pointer, line);
        }
        return pointer;
    };

    while (pos < json.size()) {
        const char c = json.at(pos);
        switch (c) {
        case '\n':
            ++line;
            ++pos;
            break;
        case ' ':
        case '\t':
        case '\r':
        case ':':
            ++pos;
            break;
        case ',':
            if (!stack.isEmpty()) {
                if (stack.last().isArray)
                    ++stack.last().index;
                else
                    stack.last().expectingKey = true;
            }
            ++pos;
            break;
        case '{':
        case '[':
            stack.append({c == '[', valueStarts()});
            ++pos;
            break;
        case '}':
        case ']':
            if (!stack.isEmpty())
                stack.removeLast();
            ++pos;
            break;
        case '"':
            if (!stack.isEmpty() && !stack.last().isArray && stack.last().expectingKey) {
                Container &top = stack.last();
                top.memberPointer = childPointer(top.pointer, readString(json, pos));
                top.expectingKey = false;
                m_lines.insert(top.memberPointer, line);
            } else {
                valueStarts();
                readString(json, pos);
            }
            break;
        default: // a number, true, false or null
            valueStarts();
            while (pos < json.size() && !QByteArrayView(",]} \t\r\n").contains(json.at(pos)))
                ++pos;
        }
    }
}

int JsonLineIndex::lineOf(const QString &pointer) const
{
    QString at = pointer;
    while (!at.isEmpty()) {
        const auto found = m_lines.constFind(at);
        if (found != m_lines.constEnd())
            return *found;
        at.truncate(at.lastIndexOf(u'/'));
    }
    return m_lines.value(QString(), 1);
}

int JsonLineIndex::lineAtOffset(const QByteArray &json, qsizetype offset)
{
    return 1 +
           int(QByteArrayView(json).first(qBound(qsizetype(0), offset, json.size())).count('\n'));
}

int JsonLineIndex::syntaxErrorLine(const QByteArray &json, qsizetype offset)
{
    int line = 1;
    bool inString = false;
    int stringLine = 0;
    const qsizetype end = qMin(offset, json.size());
    for (qsizetype pos = 0; pos < end; ++pos) {
        const char c = json.at(pos);
        if (c == '\n') {
            if (inString)
                return stringLine;
            ++line;
        } else if (c == '"') {
            inString = !inString;
            stringLine = line;
        } else if (c == '\\' && inString) {
            ++pos; // an escaped character, possibly a quote
        }
    }
    return line;
}

QString JsonLineIndex::readablePath(const QString &pointer)
{
    QString path;
    const QStringList parts = pointer.split(u'/', Qt::SkipEmptyParts);
    for (QString part : parts) {
        part.replace(QLatin1String("~1"), QLatin1String("/"))
            .replace(QLatin1String("~0"), QLatin1String("~"));
        bool isIndex = false;
        part.toUInt(&isIndex);
        if (isIndex)
            path += u'[' + part + u']';
        else
            path += (path.isEmpty() ? QString() : QStringLiteral(".")) + part;
    }
    return path;
}

QString JsonLineIndex::childPointer(const QString &pointer, const QString &key)
{
    QString escaped = key;
    escaped.replace(u'~', QLatin1String("~0")).replace(u'/', QLatin1String("~1"));
    return pointer + u'/' + escaped;
}

QString JsonLineIndex::childPointer(const QString &pointer, qsizetype index)
{
    return pointer + u'/' + QString::number(index);
}
