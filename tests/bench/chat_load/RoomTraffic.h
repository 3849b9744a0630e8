// RoomTraffic: members of chat rooms on a Fleet. Each member joins its room once
// authenticated; senders publish stamped messages on an open-loop schedule; receivers record
// the latency of every message event against the time slot ("window") it was scheduled in.
#pragma once

#include "Fleet.h"
#include "Histogram.h"
#include "Options.h"
#include "ProcStats.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chatbench {

// Messages scheduled in [startNs, endNs). A delivery counts as in time up to deadlineNs.
struct Window
{
    int64_t startNs = 0;
    int64_t endNs = 0;
    int64_t deadlineNs = 0;
    uint64_t sent = 0;
    uint64_t acked = 0;
    uint64_t sendErrors = 0;
    uint64_t expected = 0;       // deliveries expected to receivers
    uint64_t received = 0;       // message events at receivers
    uint64_t receivedInTime = 0; // ... by deadlineNs
    uint64_t otherReceived = 0;  // message events at members that are not receivers (senders)
    int64_t lastReceiveNs = 0;
    Histogram latency; // receivers only, µs from the scheduled send time
};

class RoomTraffic : public FleetHandler
{
public:
    RoomTraffic(const Options &options, std::vector<std::string> rooms);

    Fleet &fleet() { return m_fleet; }
    uint32_t addMember(uint32_t user, uint32_t room, bool receiver);

    // Opens every member and waits for its join ack, for at most the options' timeout.
    // True when every member joined.
    bool setUp();
    size_t joined() const { return m_joinedCount; }
    uint64_t joinErrors() const { return m_joinErrors; }

    size_t addWindow(int64_t startNs, int64_t endNs, int64_t deadlineNs);
    Window &window(size_t index) { return *m_windows[index]; }

    // senderOf() answer for a message a peer tool sends (rooms over several instances): none
    // is sent here, but this tool's receivers in `room` expect it.
    static uint32_t sentByPeer(uint32_t room) { return kSentByPeer | room; }

    // Publishes `count` messages at `rate` per second from startNs, message i from member
    // senderOf(i) into that member's room. A message sent late carries its scheduled time.
    // Returns how many were sent before the deadline.
    uint64_t publish(size_t window, int64_t startNs, double rate, uint64_t count,
                     const std::function<uint32_t(uint64_t)> &senderOf, RssWatch &rss);
    // Keeps reading until every expected delivery of the window arrived or `untilNs`.
    bool drain(size_t window, int64_t untilNs, RssWatch &rss);

    uint64_t rateLimited() const { return m_rateLimited; }
    uint64_t membersLost() const { return m_membersLost; }
    uint64_t strays() const { return m_strays; }
    uint64_t unsent() const { return m_unsent; }

private:
    static constexpr uint32_t kSentByPeer = 0x80000000u;

    struct Sent
    {
        uint32_t window;
        uint32_t expected;
    };

    void authenticated(Conn &c, int64_t now) override;
    void frame(Conn &c, const Incoming &in, int64_t now) override;
    void closed(Conn &c) override;
    Window *windowOf(int64_t stampNs);
    void send(uint32_t member, int64_t stampNs, size_t window);

    const Options &m_options;
    std::vector<std::string> m_rooms;
    std::vector<std::string> m_joinFrames; // per room, the join request
    std::vector<uint32_t> m_receiversIn;   // per room, joined receivers still open
    std::vector<uint8_t> m_isReceiver;     // per connection
    std::vector<uint8_t> m_isJoined;       // per connection
    std::vector<std::unique_ptr<Window>> m_windows;
    std::vector<Sent> m_sent; // per message sequence number
    std::vector<char> m_json;
    std::vector<char> m_frame;
    size_t m_joinedCount = 0;
    uint64_t m_joinErrors = 0;
    uint64_t m_rateLimited = 0;
    uint64_t m_membersLost = 0;
    uint64_t m_strays = 0;
    uint64_t m_unsent = 0;
    Fleet m_fleet; // last: destroyed first, while the handler state is still alive
};

} // namespace chatbench
