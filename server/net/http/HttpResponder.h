#pragma once

#include "net/http/HttpResponse.h"
#include "net/http/TakenConnection.h"

#include <functional>
#include <memory>

class QThread;

namespace veza::net::http {

class HttpConnection;

// The right to answer one request, possibly later (after a database job): keep it, move it,
// and call send() once, on the connection's thread. It holds a weak handle: when the client
// has gone meanwhile, the answer is dropped silently. Destroyed without answering, it answers
// 500 (a handler that forgot, or a continuation that never ran).
class HttpResponder
{
public:
    struct Link; // shared with the connection; reset when the connection ends

    HttpResponder() = default;
    HttpResponder(std::weak_ptr<Link> link, quint64 sequence);
    HttpResponder(HttpResponder &&other) noexcept;
    HttpResponder &operator=(HttpResponder &&other) noexcept;
    HttpResponder(const HttpResponder &) = delete;
    HttpResponder &operator=(const HttpResponder &) = delete;
    ~HttpResponder();

    void send(HttpResponse response);
    // Instead of an answer: hands the connection (transport and the bytes read past the head)
    // to the session `takeover` builds, at once; the HTTP layer forgets it. `status` is what the
    // observer records. False when the client is gone (`takeover` is then not called).
    bool takeOver(int status, const Takeover &takeover);
    bool answered() const { return m_answered; }
    // Gives up the right to answer without answering: the request goes on (its body is read
    // once admitted) and another responder answers it.
    void dismiss() { m_answered = true; }
    // Whether the connection is still there to take the answer.
    bool connected() const;

    // Called once with the status when send() runs (also for the automatic 500), whether or
    // not the client is still there: request metrics.
    void setObserver(std::function<void(int status)> observer) { m_observer = std::move(observer); }
    // Headers every answer through this responder carries (CORS), added at send().
    void addHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers)
    {
        m_extraHeaders.append(headers);
    }

private:
    std::weak_ptr<Link> m_link;
    quint64 m_sequence = 0;
    QThread *m_thread = nullptr;
    bool m_answered = true; // a default-constructed or moved-from responder owes nothing
    std::function<void(int status)> m_observer;
    QList<std::pair<QByteArray, QByteArray>> m_extraHeaders;
};

struct HttpResponder::Link
{
    HttpConnection *connection;
};

} // namespace veza::net::http
