#pragma once

#include <QtGlobal>

namespace veza::net::http {

// The end of a connection whose last bytes are on their way (Transport::closeAfterWrite):
// once they are all out and our side is half-closed, the peer has kLingerMs to close its side
// (Apache's lingering close waits as long); a peer that does not even read them has the
// owner's timeout in all. Either way the descriptor is freed, however long the client holds
// its end open. Checked by the owner's once-a-second sweep.
class LingeringClose
{
public:
    static constexpr qint64 kLingerMs = 2000;

    void start(qint64 nowMs)
    {
        m_startedMs = nowMs;
        m_drainedMs = 0;
    }
    bool started() const { return m_startedMs > 0; }
    // Whether to drop the connection now; `pendingBytes` is what is still to send.
    bool overdue(qint64 nowMs, qsizetype pendingBytes, qint64 timeoutMs)
    {
        if (!started())
            return false;
        if (pendingBytes > 0)
            return nowMs - m_startedMs >= timeoutMs;
        if (m_drainedMs == 0)
            m_drainedMs = nowMs;
        return nowMs - m_drainedMs >= kLingerMs;
    }

private:
    qint64 m_startedMs = 0;
    qint64 m_drainedMs = 0;
};

} // namespace veza::net::http
