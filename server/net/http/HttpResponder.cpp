#include "net/http/HttpResponder.h"

#include "net/http/HttpConnection.h"

#include <QLoggingCategory>
#include <QThread>

Q_LOGGING_CATEGORY(lcHttpResponder, "veza.net.http")

namespace veza::net::http {

HttpResponder::HttpResponder(std::weak_ptr<Link> link, quint64 sequence)
    : m_link(std::move(link))
    , m_sequence(sequence)
    , m_thread(QThread::currentThread())
    , m_answered(false)
{
}

HttpResponder::HttpResponder(HttpResponder &&other) noexcept
    : m_link(std::move(other.m_link))
    , m_sequence(other.m_sequence)
    , m_thread(other.m_thread)
    , m_answered(std::exchange(other.m_answered, true))
    , m_observer(std::move(other.m_observer))
    , m_extraHeaders(std::move(other.m_extraHeaders))
{
}

HttpResponder &HttpResponder::operator=(HttpResponder &&other) noexcept
{
    if (this != &other) {
        if (!m_answered && QThread::currentThread() == m_thread)
            send(HttpResponse::error(500, "no_answer"));
        m_link = std::move(other.m_link);
        m_sequence = other.m_sequence;
        m_thread = other.m_thread;
        m_answered = std::exchange(other.m_answered, true);
        m_observer = std::move(other.m_observer);
        m_extraHeaders = std::move(other.m_extraHeaders);
    }
    return *this;
}

HttpResponder::~HttpResponder()
{
    if (m_answered)
        return;
    if (QThread::currentThread() != m_thread) {
        // The connection belongs to another thread: it cannot be touched from here.
        qCWarning(lcHttpResponder) << "responder dropped off its thread; request left unanswered";
        return;
    }
    send(HttpResponse::error(500, "no_answer"));
}

bool HttpResponder::connected() const
{
    const std::shared_ptr<Link> link = m_link.lock();
    return link && link->connection;
}

void HttpResponder::send(HttpResponse response)
{
    if (m_answered)
        return;
    Q_ASSERT(QThread::currentThread() == m_thread);
    m_answered = true;
    if (m_observer)
        std::exchange(m_observer, {})(response.status);
    response.headers.append(m_extraHeaders);
    if (const std::shared_ptr<Link> link = m_link.lock(); link && link->connection)
        link->connection->respond(m_sequence, std::move(response));
}

bool HttpResponder::takeOver(int status, const Takeover &takeover)
{
    if (m_answered)
        return false;
    Q_ASSERT(QThread::currentThread() == m_thread);
    m_answered = true;
    if (m_observer)
        std::exchange(m_observer, {})(status);
    if (const std::shared_ptr<Link> link = m_link.lock(); link && link->connection)
        return link->connection->takeOver(m_sequence, takeover);
    return false;
}

} // namespace veza::net::http
