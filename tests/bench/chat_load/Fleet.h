// Fleet: every client connection of the tool on one epoll loop. Opens connections (bounded
// number of handshakes in flight, source addresses round-robin), performs the HTTP upgrade
// with the token in the query, waits for the auth ack, decodes frames (split or batched
// across reads), answers pings and close frames, and hands chat frames to a handler.
#pragma once

#include "ChatProtocol.h"
#include "Histogram.h"
#include "Options.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

enum class ConnState : uint8_t { Queued, Connecting, Upgrading, Authenticating, Open, Closed };

struct Conn
{
    int fd = -1;
    ConnState state = ConnState::Queued;
    uint8_t fragmentOpcode = 0;
    uint32_t index = 0;
    uint32_t user = 0;
    uint32_t tag = 0;    // the scenario's (room number)
    int64_t startNs = 0; // when connect() was issued
    std::string out;     // bytes the socket has not taken yet
    size_t outOffset = 0;
    std::vector<char> carry;    // bytes not parsed yet: a partial HTTP head or frame
    std::vector<char> fragment; // a fragmented message being reassembled
};

class FleetHandler
{
public:
    virtual ~FleetHandler() = default;
    virtual void authenticated(Conn &, int64_t /*now*/) {}
    // Text frames after authentication.
    virtual void frame(Conn &, const Incoming &, int64_t /*now*/) {}
    // An authenticated connection closed (by the server, or TCP EOF/reset).
    virtual void closed(Conn &) {}
};

struct FleetStats
{
    uint64_t started = 0; // connect() issued
    uint64_t authenticated = 0;
    uint64_t connectFailed = 0;     // socket, bind or connect error
    uint64_t refused = 0;           // HTTP 503
    uint64_t httpFailed = 0;        // other HTTP answers
    uint64_t unauthorized = 0;      // error frame instead of the auth ack
    uint64_t closedInHandshake = 0; // EOF or close frame before the auth ack
    uint64_t closedByServer = 0;    // close frames after authentication
    uint64_t eof = 0;               // authenticated, then TCP closed without a close frame
    uint64_t protocolErrors = 0;
    uint64_t pings = 0;
    uint64_t framesIn = 0;
    uint64_t bytesIn = 0;
    uint64_t sendsDropped = 0; // frames not sent because the connection was closed
    int64_t firstConnectNs = 0;
    int64_t lastAuthNs = 0;
    std::map<int, uint64_t> closeCodes;
    std::map<std::string, uint64_t> errorCodes; // error frames after authentication
    std::map<int, uint64_t> connectErrnos;
    Histogram authLatency; // connect() to auth ack, µs

    uint64_t failed() const
    {
        return connectFailed + httpFailed + unauthorized + closedInHandshake;
    }
    std::string closeCodesText() const; // "1013:12,1001:3" or "-"
    std::string errorCodesText() const;
    std::string connectErrnosText() const;
};

class Fleet
{
public:
    Fleet(const Options &options, FleetHandler &handler);
    ~Fleet();
    Fleet(const Fleet &) = delete;
    Fleet &operator=(const Fleet &) = delete;

    // Queues a connection for user u<user>; run() opens it. Returns its index.
    uint32_t add(uint32_t user, uint32_t tag);
    Conn &conn(uint32_t index) { return m_conns[index]; }
    size_t size() const { return m_conns.size(); }
    // Connections neither authenticated nor failed yet (queued or in handshake).
    size_t pending() const { return m_inFlight + (m_conns.size() - m_nextToOpen); }
    // Authenticated connections still open.
    size_t openCount() const { return m_open; }

    // Sends one text frame (masked). False if the connection is closed.
    bool sendText(Conn &c, std::string_view payload);
    // Sends bytes that are already a frame.
    bool sendRaw(Conn &c, const char *data, size_t size);
    uint32_t nextMask();

    // Runs the loop until done() is true or the deadline passes (returns false then).
    // tick(now), if given, runs at every iteration and returns when it next needs to run.
    bool run(int64_t deadlineNs, const std::function<bool()> &done,
             const std::function<int64_t(int64_t)> &tick = {});

    // Closes every connection at once (RST, no TIME_WAIT left behind).
    void closeAll();

    FleetStats &stats() { return m_stats; }
    const FleetStats &stats() const { return m_stats; }

private:
    void openQueued(int64_t now);
    void openOne(Conn &c, int64_t now);
    void handleEvent(Conn &c, uint32_t events);
    void onConnected(Conn &c);
    void flush(Conn &c);
    void onReadable(Conn &c);
    size_t process(Conn &c, char *data, size_t size, int64_t now);
    size_t processHttpHead(Conn &c, char *data, size_t size);
    void handleFrame(Conn &c, uint8_t opcode, bool fin, char *payload, size_t size, int64_t now);
    void handleText(Conn &c, std::string_view json, int64_t now);
    void sendControl(Conn &c, uint8_t opcode, const char *payload, size_t size);
    void markOpen(Conn &c, int64_t now);
    // Closes the socket; `wasHandshake` failures are counted by the caller.
    void closeConn(Conn &c);

    const Options &m_options;
    FleetHandler &m_handler;
    int m_epoll = -1;
    sockaddr_in m_target{};
    std::deque<Conn> m_conns; // stable addresses
    size_t m_nextToOpen = 0;
    size_t m_inFlight = 0;
    size_t m_open = 0;
    uint64_t m_rng;
    int64_t m_unixStart;
    std::unique_ptr<char[]> m_buf; // one read buffer for every connection
    FleetStats m_stats;
};

} // namespace chatbench
