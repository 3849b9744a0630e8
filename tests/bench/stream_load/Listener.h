// One listener: a non-blocking socket that connects, sends `GET path` (a WebSocket upgrade for
// /listen/{name}), checks the response head, then counts what it receives: body bytes (HTTP)
// or Opus packets with their sequence numbers and end-to-end latency (WebSocket).
#pragma once

#include "Histogram.h"
#include "Options.h"
#include "WsFrameReader.h"

#include <cstdint>
#include <string>

namespace streambench {

enum class ListenerState : uint8_t {
    Idle,       // not opened yet
    Connecting, // connect() in progress
    Head,       // request sent, reading the response head
    Body,       // 200 (HTTP) or 101 (WebSocket) received, counting the audio
    Failed,     // never got audio: see Listener::failure
    Closed,     // was in Body, then the server closed the connection (or an error)
};

enum class Failure : uint8_t {
    None,
    Connect,
    HttpStatus,   // status other than 200 / 101 (in httpStatus)
    ClosedInHead, // the server closed before the end of the head
    WsClosed,     // a WebSocket close frame before the first packet (code in closeCode)
    Timeout,
};

struct Listener
{
    int fd = -1;
    ListenerState state = ListenerState::Idle;
    Failure failure = Failure::None;
    uint8_t rendition = 0;   // WebSocket: the rendition index of the last packet
    uint16_t path = 0;       // index into Options::paths
    uint16_t closeCode = 0;  // WebSocket close code received (0: none)
    int error = 0;           // errno of a connect failure or a later socket error
    int httpStatus = 0;      // status code of the response head
    int64_t startNs = 0;     // connect() called
    int64_t firstByteNs = 0; // first body byte (HTTP) or first packet (WebSocket)
    int64_t closedNs = 0;
    uint64_t bodyBytes = 0;        // HTTP body bytes, or WebSocket binary payload bytes
    uint64_t windowStartBytes = 0; // bodyBytes when the steady window opened
    // WebSocket only.
    uint64_t packets = 0;
    uint64_t windowStartPackets = 0;
    uint32_t lastSequence = 0;
    uint32_t gaps = 0; // packets missing between consecutive sequence numbers (+1 per repeat)
    uint32_t windowStartGaps = 0;
    uint32_t badPackets = 0; // binary frames without a version-1 header
    uint32_t switches = 0;   // "rendition" messages (a move along the ladder)
    std::string head;        // response head while in Head
    WsFrameReader frames;

    bool inBody() const { return state == ListenerState::Body; }
    bool gotAudio() const { return firstByteNs > 0; }
};

// What every read shares: scratch space, the protocol, and where latencies go while the
// steady window is open.
struct ReadContext
{
    Protocol protocol = Protocol::Http;
    uint8_t *buffer = nullptr;
    size_t size = 0;
    Histogram *latency = nullptr; // one per path: µs, receive − capture; null outside the window
};

// Starts the connect from `sourceAddress` (host byte order, e.g. 127.0.0.2) to host:port.
// Sets state to Connecting (fd valid) or Failed.
void startConnect(Listener &l, uint32_t sourceAddress, uint32_t host, uint16_t port, int64_t now);

// The socket became writable while Connecting: checks the connect result and sends the
// request. False when the listener failed (fd closed).
bool finishConnect(Listener &l, const std::string &request);

// The socket is readable (Head or Body): reads what is there. Returns false when the
// listener ended (fd closed, state Failed or Closed).
bool readAvailable(Listener &l, ReadContext &context, int64_t now);

// Closes the socket; the state is left as it is.
void closeListener(Listener &l);

// The request a listener sends for `path`.
std::string requestFor(Protocol protocol, const std::string &host, uint16_t port,
                       const std::string &path);

} // namespace streambench
