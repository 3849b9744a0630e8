#include "net/transport/FlushQueue.h"

#include "net/transport/FdTransport.h"

#include <algorithm>

namespace veza::net {

FlushQueue::~FlushQueue() = default;

void FlushQueue::schedule(FdTransport *transport)
{
    m_pending.push_back(transport);
    if (m_posted)
        return;
    m_posted = true;
    QMetaObject::invokeMethod(this, &FlushQueue::flushAll, Qt::QueuedConnection);
}

void FlushQueue::cancel(FdTransport *transport)
{
    std::replace(m_pending.begin(), m_pending.end(), transport,
                 static_cast<FdTransport *>(nullptr));
}

void FlushQueue::flushAll()
{
    m_posted = false;
    // Swapped out first: a flush can close a transport, whose handler may write elsewhere.
    std::vector<FdTransport *> pending;
    pending.swap(m_pending);
    for (FdTransport *transport : pending) {
        if (transport)
            transport->flush();
    }
    if (m_pending.empty() && m_pending.capacity() < pending.capacity()) {
        pending.clear();
        m_pending.swap(pending); // keep the larger buffer for the next pass
    }
}

} // namespace veza::net
