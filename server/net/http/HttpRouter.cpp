#include "net/http/HttpRouter.h"

#include <QJsonObject>

namespace veza::net::http {

void HttpRouter::add(QByteArray method, QByteArray path, Handler handler)
{
    QString name = QString::fromUtf8(path);
    m_routes.push_back(
        {std::move(method), std::move(path), false, std::move(name), std::move(handler)});
}

void HttpRouter::addPrefix(QByteArray method, QByteArray prefix, Handler handler, QString name)
{
    if (name.isEmpty())
        name = QString::fromUtf8(prefix) + QLatin1Char('*');
    m_routes.push_back(
        {std::move(method), std::move(prefix), true, std::move(name), std::move(handler)});
}

// The routes of the path: its exact routes, or else those of its longest matching prefix.
std::vector<const HttpRouter::Route *> HttpRouter::candidates(const QByteArray &path) const
{
    std::vector<const Route *> exact;
    std::vector<const Route *> prefixed;
    qsizetype longest = -1;
    for (const Route &route : m_routes) {
        if (!route.prefix) {
            if (route.pattern == path)
                exact.push_back(&route);
        } else if (path.startsWith(route.pattern) && route.pattern.size() >= longest) {
            if (route.pattern.size() > longest)
                prefixed.clear();
            longest = route.pattern.size();
            prefixed.push_back(&route);
        }
    }
    return exact.empty() ? prefixed : exact;
}

const HttpRouter::Route *HttpRouter::choose(const std::vector<const Route *> &routes,
                                            const QByteArray &method)
{
    for (const Route *route : routes) {
        if (route->method == method)
            return route;
    }
    if (method == "HEAD") {
        for (const Route *route : routes) {
            if (route->method == "GET")
                return route;
        }
    }
    return nullptr;
}

bool HttpRouter::admitBody(const HttpRequest &head, HttpResponder &responder) const
{
    const Route *chosen = choose(candidates(head.path()), head.method());
    if (!chosen) {
        dispatch(head, std::move(responder));
        return false;
    }
    if (!m_bodyGate || !head.path().startsWith(m_bodyGatePrefix))
        return true;
    if (m_observer)
        m_observer(head, chosen->name, responder);
    if (!m_bodyGate(head, responder))
        return false;
    responder.setObserver({}); // counted once, when the whole request is answered
    return true;
}

void HttpRouter::dispatch(const HttpRequest &request, HttpResponder responder) const
{
    const std::vector<const Route *> routes = candidates(request.path());
    const Route *chosen = choose(routes, request.method());
    if (chosen) {
        if (m_observer)
            m_observer(request, chosen->name, responder);
        if (m_guard && request.path().startsWith(m_guardPrefix) && !m_guard(request, responder))
            return;
        chosen->handler(request, std::move(responder));
        return;
    }
    if (!routes.empty()) {
        QByteArrayList allowed;
        for (const Route *route : routes) {
            if (!allowed.contains(route->method))
                allowed.append(route->method);
        }
        if (allowed.contains("GET") && !allowed.contains("HEAD"))
            allowed.append("HEAD");
        if (m_observer)
            m_observer(request, routes.front()->name, responder);
        if (m_preflight && request.method() == "OPTIONS" &&
            request.path().startsWith(m_guardPrefix)) {
            m_preflight(request, allowed, std::move(responder));
            return;
        }
        HttpResponse response = HttpResponse::error(405, "method_not_allowed");
        response.headers.append({"Allow", allowed.join(", ")});
        responder.send(std::move(response));
        return;
    }
    if (m_observer)
        m_observer(request, QStringLiteral("unmatched"), responder);
    if (m_notFound) {
        m_notFound(request, std::move(responder));
        return;
    }
    responder.send(
        HttpResponse::json(404, {{QStringLiteral("error"), QStringLiteral("not_found")},
                                 {QStringLiteral("path"), QString::fromUtf8(request.path())}}));
}

} // namespace veza::net::http
