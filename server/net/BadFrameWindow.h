#pragma once

#include <QtGlobal>
#include <array>

namespace veza::net {

// Counts a connection's bad frames over a sliding window, so that one mistake costs a
// `bad_request` but a client that keeps sending garbage (50 bad frames in 10 s by default)
// is disconnected. Fixed memory: a ring of the last `Limit` timestamps. One owner thread.
template <int Limit = 50> class BadFrameWindow
{
public:
    explicit BadFrameWindow(qint64 windowMs = 10000)
        : m_windowMs(windowMs)
    {
    }

    // Records a bad frame at nowMs; true when the limit is now reached within the window.
    bool recordAndCheck(qint64 nowMs)
    {
        // The oldest of the last Limit frames is the slot about to be overwritten.
        const qint64 oldest = m_times[m_next];
        m_times[m_next] = nowMs;
        m_next = (m_next + 1) % Limit;
        m_count = std::min(m_count + 1, Limit);
        return m_count == Limit && nowMs - oldest < m_windowMs;
    }

private:
    qint64 m_windowMs;
    std::array<qint64, Limit> m_times{};
    int m_next = 0;
    int m_count = 0;
};

} // namespace veza::net
