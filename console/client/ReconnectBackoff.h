#pragma once

#include <QtGlobal>

namespace veza::console {

// How long to wait before the next reconnection: doubling from 1 s up to 30 s, each delay
// spread by ±25 % so a fleet of consoles does not knock on a restarting server at the same
// instant. reset() once a connection held. Plain value; GUI thread.
class ReconnectBackoff
{
public:
    static constexpr int kFirstMs = 1000;
    static constexpr int kMaxMs = 30000;

    int nextDelayMs();
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    int m_attempt = 0;
};

} // namespace veza::console
