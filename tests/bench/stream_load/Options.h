// Command line of stream_load_bench.
#pragma once

#include <cstdint>
#include <string>

namespace streambench {

struct Options
{
    // target
    std::string host = "127.0.0.1";
    uint16_t port = 8080;
    std::string path = "/live/bench";
    int sources = 4;               // bind listener sockets to 127.0.0.1 .. 127.0.0.K, round-robin
    int serverPid = 0;             // process whose CPU and RSS are sampled (0: none)
    std::string label;             // printed in RESULT lines (e.g. veza, icecast)
    std::string scenario = "http"; // the figure name of the RESULT lines

    // load
    int listeners = 1000;
    double ramp = 250;        // connects started per second
    double durationS = 20;    // steady window
    double settleS = 3;       // after the last first byte, before the steady window
    double timeoutS = 15;     // a listener without its first body byte this long after
                              // its connect started counts as failed
    int64_t bitrate = 128000; // bits/s of the stream
    double fullRateShare = 0.95;
};

// Parses argv; on error or --help prints to stderr and returns false (exitCode set).
bool parseOptions(int argc, char **argv, Options &options, int &exitCode);

} // namespace streambench
