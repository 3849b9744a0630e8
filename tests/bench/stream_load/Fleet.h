// The listeners and the epoll loop that drives them: opens them at the ramp rate over the
// source addresses, completes connects, reads and discards the audio.
#pragma once

#include "Listener.h"
#include "Options.h"

#include <cstdint>
#include <string>
#include <vector>

namespace streambench {

class Fleet
{
public:
    explicit Fleet(const Options &options);
    ~Fleet();
    Fleet(const Fleet &) = delete;
    Fleet &operator=(const Fleet &) = delete;

    bool ok() const { return m_epoll >= 0 && m_host != 0; }

    // Runs the loop until `untilNs`: opens listeners due by the ramp (started at rampStartNs),
    // fails those past their first-byte timeout. Returns early when `stopWhenSettled` and every
    // listener is opened and either has its first body byte or failed.
    void run(int64_t untilNs, bool stopWhenSettled);

    void startRamp(int64_t now) { m_rampStartNs = now; }
    // Marks the start of the steady window: remembers each listener's byte count.
    void openWindow();

    bool settled() const;
    const std::vector<Listener> &listeners() const { return m_listeners; }
    int opened() const { return m_opened; }

private:
    void openDue(int64_t now);
    void expire(int64_t now);
    void handle(uint32_t index, uint32_t events, int64_t now);

    const Options &m_options;
    std::vector<Listener> m_listeners;
    std::string m_request;
    std::vector<char> m_buffer;
    uint32_t m_host = 0;
    int m_epoll = -1;
    int m_opened = 0;
    int m_pending = 0; // opened, neither failed nor past their first body byte
    int64_t m_rampStartNs = 0;
    int64_t m_nextExpireNs = 0;
};

} // namespace streambench
