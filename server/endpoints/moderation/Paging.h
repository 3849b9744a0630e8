#pragma once

#include "net/http/HttpRequest.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace veza::endpoints {

// The paging of the moderators' lists (audit log, sanctions, reports, directories): `limit`
// (1 to 200, default 50) and a cursor; each list reads one row past the page to tell whether
// another follows, so its last page says so (a null cursor) without an empty one after it.
struct PageParams
{
    int limit = 50;
    std::optional<qint64> before; // lists newest first by id: `before=<id>`
};

// `limit` and `before` of the request; the reason they are refused, or an empty string.
inline QString readPage(const net::http::HttpRequest &request, PageParams &page)
{
    bool ok = true;
    if (const QByteArray limit = request.queryItem("limit"); !limit.isNull()) {
        page.limit = limit.toInt(&ok);
        if (!ok || page.limit < 1 || page.limit > 200)
            return QStringLiteral("limit must be an integer from 1 to 200");
    }
    if (const QByteArray before = request.queryItem("before"); !before.isNull()) {
        page.before = before.toLongLong(&ok);
        if (!ok || *page.before < 0)
            return QStringLiteral("before must be an id from the previous page");
    }
    return {};
}

// Drops the row read past the page; true when another page follows.
template <typename T> bool trimToPage(QList<T> &rows, int pageSize)
{
    const bool more = rows.size() > pageSize;
    if (more)
        rows.resize(pageSize);
    return more;
}

// A page of a moderators' list, as every one answers it: {"<field>":[...],"next_before":id}, the
// cursor null on the last page (and on an empty list).
inline QJsonObject pageBody(const QString &field, const QJsonArray &rows = {},
                            std::optional<qint64> nextBefore = std::nullopt)
{
    return {{field, rows},
            {QStringLiteral("next_before"),
             nextBefore ? QJsonValue(*nextBefore) : QJsonValue(QJsonValue::Null)}};
}

} // namespace veza::endpoints
