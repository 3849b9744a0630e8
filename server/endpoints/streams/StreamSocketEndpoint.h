#pragma once

#include "endpoints/TokenCheck.h"

class QObject;

namespace veza::chat {
class ChatFiguresSampler;
}
namespace veza::storage {
class Database;
}
namespace veza::streaming {
class StreamCluster;
class StreamHub;
} // namespace veza::streaming

namespace veza::endpoints {

class MonitorFeed;
class PacketFanout;
struct StreamSocketMetrics;

// What the streaming WebSocket endpoints of one network thread share: /listen/{name} (the
// low-latency listeners), /ingest/{name} (browser and console broadcasters) and /monitor (the
// console's live event feed).
struct StreamSocketEndpoint
{
    streaming::StreamHub *hub = nullptr;
    streaming::StreamCluster *cluster = nullptr; // several instances; nullptr: alone
    QObject *threadContext = nullptr;            // where the cluster's answers arrive
    storage::Database *database = nullptr;       // stream keys; nullptr: ingest answers unavailable
    TokenCheck tokens;
    bool adaptiveBitrate = true;    // ADAPTIVE_BITRATE
    PacketFanout *fanout = nullptr; // this thread's listeners of Opus packets
    StreamSocketMetrics *metrics = nullptr;
    const MonitorFeed *feed = nullptr;                     // /monitor's live events
    const chat::ChatFiguresSampler *chatFigures = nullptr; // /monitor's chat figures; may be null
};

} // namespace veza::endpoints
