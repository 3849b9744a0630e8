// Command line of stream_load_bench.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace streambench {

enum class Protocol : uint8_t {
    Http,      // GET path, count body bytes (live MP3, Ogg/Opus, AAC mounts)
    WebSocket, // upgrade on path, one binary frame per Opus packet (/listen/{name})
};

struct Options
{
    // target
    std::string host = "127.0.0.1";
    uint16_t port = 8080;
    Protocol protocol = Protocol::Http;
    // Listeners are spread round-robin over the paths (--path may be given several times).
    std::vector<std::string> paths;
    int sources = 4;               // bind listener sockets to 127.0.0.1 .. 127.0.0.K, round-robin
    int serverPid = 0;             // process whose CPU and RSS are sampled (0: none)
    uint16_t metricsPort = 0;      // the server's Prometheus port, scraped around the window
    std::string label;             // printed in RESULT lines (e.g. veza, icecast)
    std::string scenario = "http"; // the figure name of the RESULT lines
    bool perPath = false;          // also one RESULT line per path

    // load
    int listeners = 1000;
    double ramp = 250;        // connects started per second
    double idleS = 0;         // server CPU measured this long before the first connect
    double durationS = 20;    // steady window
    double settleS = 3;       // after the last first byte, before the steady window
    double timeoutS = 15;     // a listener without its first audio this long after
                              // its connect started counts as failed
    int64_t bitrate = 128000; // bits/s of an HTTP path without ?bitrate=
    double packetRate = 50;   // WebSocket packets/s (20 ms Opus packets)
    double fullRateShare = 0.95;
};

// Parses argv; on error or --help prints to stderr and returns false (exitCode set).
bool parseOptions(int argc, char **argv, Options &options, int &exitCode);

// The bits/s an HTTP listener of `path` should get: its ?bitrate= (kbit/s below 1000, as the
// server reads it), else `fallback`.
int64_t pathBitrate(const std::string &path, int64_t fallback);

} // namespace streambench
