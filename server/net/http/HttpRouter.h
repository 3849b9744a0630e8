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

    // Asked of a request under `prefix` that announces a body, before any of it is read:
    // false when it answered instead (a missing or refused token).
    void setBodyGate(QByteArray prefix, Guard gate)
    {
        m_bodyGatePrefix = std::move(prefix);
        m_bodyGate = std::move(gate);
    }

    void dispatch(const HttpRequest &request, HttpResponder responder) const;
    // HttpConnection::Admission: a body is read only for a route that takes the request's
    // method and, under the body gate's prefix, once the gate accepts the head. Otherwise the
    // request is answered as dispatch() or the gate would (404, 405, 401...) and false returned.
    bool admitBody(const HttpRequest &head, HttpResponder &responder) const;

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
    // The route among `routes` serving `method` (GET's for HEAD), or none.
    static const Route *choose(const std::vector<const Route *> &routes, const QByteArray &method);

    std::vector<Route> m_routes;
    Handler m_notFound;
    Observer m_observer;
    QByteArray m_guardPrefix;
    Guard m_guard;
    Preflight m_preflight;
    QByteArray m_bodyGatePrefix;
    Guard m_bodyGate;
};

} // namespace veza::net::http
