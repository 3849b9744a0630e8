// Small helpers for the text of HTTP/1.1 heads (RFC 9110 §5.6), shared by the request-head
// parser, the WebSocket handshake and the HTTP responses.
#pragma once

#include <QByteArrayView>

namespace veza::net::http {

// Token characters (methods, header names).
inline bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

inline bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Optional whitespace: only space and tab (QByteArrayView::trimmed also strips CR, LF...).
inline bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

inline QByteArrayView trimOws(QByteArrayView text)
{
    while (!text.isEmpty() && isOws(text.front()))
        text = text.sliced(1);
    while (!text.isEmpty() && isOws(text.back()))
        text.chop(1);
    return text;
}

inline bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// Calls visit(item) for each trimmed, non-empty item of a comma-separated list; stops when
// visit returns true and returns whether it did.
template <typename Visit> bool anyListItem(QByteArrayView list, Visit visit)
{
    qsizetype start = 0;
    while (start <= list.size()) {
        qsizetype comma = list.indexOf(',', start);
        if (comma < 0)
            comma = list.size();
        const QByteArrayView item = trimOws(list.sliced(start, comma - start));
        if (!item.isEmpty() && visit(item))
            return true;
        start = comma + 1;
    }
    return false;
}

// Whether a comma-separated list ("keep-alive, Upgrade") holds `token`, case-insensitively.
inline bool containsToken(QByteArrayView list, QByteArrayView token)
{
    return anyListItem(list, [&](QByteArrayView item) { return equalsIgnoringCase(item, token); });
}

} // namespace veza::net::http
