#pragma once

#include "net/http/HttpConnection.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QString>
#include <vector>

namespace veza::net::http {

// Picks a handler by method and path: exact paths first, then the longest matching prefix
// (`/live/` for `/live/{name}`). A known path with another method gets 405 with Allow; HEAD is
// served by the GET handler (the connection drops the body). Anything else goes to the
// not-found handler (default: 404 {"error":"not_found","path":...}).
class HttpRouter
{
public:
    using Handler = HttpConnection::Handler;
    // Sees every request before its handler with the route's name (the path template,
    // "unmatched" for 404): the place for request metrics.
    using Observer =
        std::function<void(const HttpRequest &request, const QString &route, HttpResponder &)>;

    void add(QByteArray method, QByteArray path, Handler handler);
    // `name` for metrics and logs; default: the prefix followed by '*'.
    void addPrefix(QByteArray method, QByteArray prefix, Handler handler, QString name = {});
    void setNotFound(Handler handler) { m_notFound = std::move(handler); }
    void setObserver(Observer observer) { m_observer = std::move(observer); }
    // Asked before the handler of any route under `prefix` (after the observer, so what it
    // answers is counted): false when it answered the request itself (a rate limit).
    using Guard = std::function<bool(const HttpRequest &request, HttpResponder &responder)>;
    // Answers OPTIONS on a known path under the guard's prefix (a CORS preflight), given the
    // methods the path serves.
    using Preflight = std::function<void(const HttpRequest &request, const QByteArrayList &methods,
                                         HttpResponder responder)>;
    void setPreflight(Preflight preflight) { m_preflight = std::move(preflight); }
    void setGuard(QByteArray prefix, Guard guard)
    {
        m_guardPrefix = std::move(prefix);
        m_guard = std::move(guard);
    }

    void dispatch(const HttpRequest &request, HttpResponder responder) const;

private:
    struct Route
    {
        QByteArray method;
        QByteArray pattern;
        bool prefix = false;
        QString name;
        Handler handler;
    };

    std::vector<const Route *> candidates(const QByteArray &path) const;

    std::vector<Route> m_routes;
    Handler m_notFound;
    Observer m_observer;
    QByteArray m_guardPrefix;
    Guard m_guard;
    Preflight m_preflight;
};

} // namespace veza::net::http
