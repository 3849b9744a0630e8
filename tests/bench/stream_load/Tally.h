// Per-listener outcomes summed up: how many connected, failed (and why), were closed, and
// kept the full real-time rate through the steady window; first-audio latencies.
#pragma once

#include "Histogram.h"
#include "Listener.h"
#include "Options.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace streambench {

struct Tally
{
    int listeners = 0;     // counted (all, or those of one path)
    int connected = 0;     // got the 200/101 head and audio
    int fullRate = 0;      // see tally()
    int connectFailed = 0; // connect() error (errno in errnos)
    int httpRefused = 0;   // a status other than 200/101, or a WebSocket close before audio
    int closedInHead = 0;  // the server closed before the end of the head
    int timedOut = 0;      // no first audio within --timeout
    int closed = 0;        // the server closed an established listener
    std::map<int, int> errnos;
    std::map<int, int> statuses;   // HTTP statuses and WebSocket close codes of the refusals
    std::map<int, int> closeCodes; // WebSocket close codes of established listeners
    Histogram firstByte; // µs, connect start → first body byte (HTTP) or packet (WebSocket)
    // Per-listener rate during the steady window, percent of the nominal bitrate (HTTP) or
    // packet rate (WebSocket).
    double ratePctMin = 0;
    double ratePctP1 = 0;
    double ratePctMedian = 0;
    // WebSocket.
    uint64_t windowPackets = 0;
    uint64_t windowGaps = 0; // missing packets during the window, all listeners
    int listenersWithGaps = 0;
    uint64_t badPackets = 0;
    uint64_t switches = 0;

    std::string errnosText() const;
    std::string statusesText() const;
    std::string closeCodesText() const;
};

// A listener is at full rate when it is still connected at the end of the steady window and
// received during that window at least `share` of the real-time rate: HTTP, `share` ×
// bitrate/8 × window bytes (the bitrate of its path, see pathBitrate()); WebSocket, `share` ×
// packetRate × window packets with no sequence gap. The window opens `settle` seconds after
// the last listener got its first audio, so the burst-on-connect (which a server sends at
// once) is never counted as rate. `path` < 0 counts every listener, else those of that path.
Tally tally(const std::vector<Listener> &listeners, const Options &options, double windowS,
            int path = -1);

} // namespace streambench
