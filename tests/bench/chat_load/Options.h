// Command line of chat_load_bench: one scenario and its --options.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chatbench {

struct Options
{
    std::string scenario; // idle | fanout | peak | rooms

    // target
    std::string host = "127.0.0.1";
    uint16_t port = 8081;
    std::string path = "/chat";
    std::string secret = "chat-bench-secret-0123456789abcdef0123456789";
    int sources = 4;   // bind client sockets to 127.0.0.1 .. 127.0.0.N, round-robin
    int serverPid = 0; // process whose RSS/CPU is sampled (0: none)
    std::string label; // printed in RESULT lines (e.g. veza, node)

    // connection set-up
    int connections = -1;    // idle: 19000, rooms: 10000
    int concurrency = 500;   // handshakes in flight
    double timeoutS = 60;    // bound of every set-up phase
    double holdS = 3;        // idle: how long the connections are held before measuring RSS
    uint32_t userOffset = 0; // user numbers start at userOffset + 1

    // traffic
    int receivers = 1000;
    double rate = 100;      // fanout: messages/s published into the room
    double durationS = 10;  // fanout and rooms
    double senderRate = 50; // most messages/s any one sender user publishes
    std::vector<double> steps = {100, 200, 500, 1000, 1500, 2000, 3000}; // peak: messages/s
    double stepS = 4;  // peak: length of each step
    double graceS = 1; // peak: a step's messages must arrive within its end + grace
    double keptUpFraction = 0.95;
    double p99TargetMs = 10; // peak: also reports the best step whose P99 stayed under it
    int roomSize = 10;       // rooms
    double roomRate = 1;     // rooms: messages/s sent in each room
    double drainS = 2;       // wait for stragglers after the last send
    int bodySize = 128;      // bytes of each message body

    // several instances (rooms): `peers` tools, each on its own server instance, hold members
    // of the same rooms; the tool `peerIndex` sends in the rooms r with r % peers == peerIndex
    // and expects every room's messages, its peers' too. All start publishing at startAtMs
    // (wall clock, ms since the epoch); 0: as soon as set up.
    int peers = 1;
    int peerIndex = 0;
    int64_t startAtMs = 0;
};

// Parses argv; on error or --help prints to stderr and returns false (exitCode set).
bool parseOptions(int argc, char **argv, Options &options, int &exitCode);

} // namespace chatbench
