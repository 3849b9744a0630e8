// Per-listener outcomes summed up: how many connected, failed (and why), were closed, and
// kept the full real-time rate through the steady window; first-byte latencies.
#pragma once

#include "Histogram.h"
#include "Listener.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace streambench {

struct Tally
{
    int connected = 0;     // got the 200 head and at least one body byte
    int fullRate = 0;      // see tally()
    int connectFailed = 0; // connect() error (errno in errnos)
    int httpRefused = 0;   // a status other than 200 (codes in statuses)
    int closedInHead = 0;  // the server closed before the end of the head
    int timedOut = 0;      // no first body byte within --timeout
    int closed = 0;        // the server closed an established listener
    std::map<int, int> errnos;
    std::map<int, int> statuses;
    Histogram firstByte; // µs, connect start → first body byte
    // Per-listener rate during the steady window, percent of the nominal bitrate.
    double ratePctMin = 0;
    double ratePctP1 = 0;
    double ratePctMedian = 0;

    std::string errnosText() const;
    std::string statusesText() const;
};

// A listener is at full rate when it is still connected at the end of the steady window and
// received during that window at least `share` × bitrate/8 × window bytes. The window opens
// `settle` seconds after the last listener got its first byte, so the burst-on-connect (which
// a server sends at once) is never counted as rate.
Tally tally(const std::vector<Listener> &listeners, int64_t bitrate, double windowS, double share);

} // namespace streambench
