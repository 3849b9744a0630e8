// The listeners and the epoll loop that drives them: opens them at the ramp rate over the
// source addresses and paths, completes connects, reads and counts the audio.
#pragma once

#include "Histogram.h"
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
    // fails those past their first-audio timeout. Returns early when `stopWhenSettled` and every
    // listener is opened and either has its first audio or failed.
    void run(int64_t untilNs, bool stopWhenSettled);

    void startRamp(int64_t now) { m_rampStartNs = now; }
    // Marks the start of the steady window: remembers each listener's counts, and records
    // WebSocket packet latencies from now on.
    void openWindow();
    // Ends the recording of latencies (the counts stay as they are).
    void closeWindow() { m_read.latency = nullptr; }

    bool settled() const;
    const std::vector<Listener> &listeners() const { return m_listeners; }
    // Latencies of the packets received in the window, per path (WebSocket).
    const std::vector<Histogram> &latencies() const { return m_latencies; }
    int opened() const { return m_opened; }

private:
    void openDue(int64_t now);
    void expire(int64_t now);
    void handle(uint32_t index, uint32_t events, int64_t now);

    const Options &m_options;
    std::vector<Listener> m_listeners;
    std::vector<std::string> m_requests; // per path
    std::vector<uint8_t> m_buffer;
    std::vector<Histogram> m_latencies;
    ReadContext m_read;
    uint32_t m_host = 0;
    int m_epoll = -1;
    int m_opened = 0;
    int m_pending = 0; // opened, neither failed nor past their first body byte
    int64_t m_rampStartNs = 0;
    int64_t m_nextExpireNs = 0;
};

} // namespace streambench
