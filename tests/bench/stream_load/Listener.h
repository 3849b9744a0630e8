// One HTTP listener: a non-blocking socket that connects, sends `GET path`, checks the response
// head and then counts (and discards) body bytes.
#pragma once

#include <cstdint>
#include <string>

namespace streambench {

enum class ListenerState : uint8_t {
    Idle,       // not opened yet
    Connecting, // connect() in progress
    Head,       // request sent, reading the response head
    Body,       // 200 received, counting body bytes
    Failed,     // never reached the body: see Listener::failure
    Closed,     // was in Body, then the server closed the connection (or an error)
};

enum class Failure : uint8_t { None, Connect, HttpStatus, ClosedInHead, Timeout };

struct Listener
{
    int fd = -1;
    ListenerState state = ListenerState::Idle;
    Failure failure = Failure::None;
    int error = 0;       // errno of a connect failure or a later socket error
    int httpStatus = 0;  // status code of the response head
    int64_t startNs = 0; // connect() called
    int64_t firstByteNs = 0;
    int64_t closedNs = 0;
    uint64_t bodyBytes = 0;
    uint64_t windowStartBytes = 0; // bodyBytes when the steady window opened
    std::string head;              // response head while in Head

    bool inBody() const { return state == ListenerState::Body; }
};

// Starts the connect from `sourceAddress` (host byte order, e.g. 127.0.0.2) to host:port.
// Sets state to Connecting (fd valid) or Failed.
void startConnect(Listener &l, uint32_t sourceAddress, uint32_t host, uint16_t port, int64_t now);

// The socket became writable while Connecting: checks the connect result and sends the
// request. False when the listener failed (fd closed).
bool finishConnect(Listener &l, const std::string &request);

// The socket is readable (Head or Body): reads what is there. `buffer` is scratch space.
// Returns false when the listener ended (fd closed, state Failed or Closed).
bool readAvailable(Listener &l, char *buffer, size_t size, int64_t now);

// Closes the socket; the state is left as it is.
void closeListener(Listener &l);

} // namespace streambench
