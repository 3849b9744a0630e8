#include "RoomTraffic.h"

#include "ChatProtocol.h"
#include "Clock.h"
#include "WsFrame.h"

#include <algorithm>
#include <cstdio>

namespace chatbench {

RoomTraffic::RoomTraffic(const Options &options, std::vector<std::string> rooms)
    : m_options(options)
    , m_rooms(std::move(rooms))
    , m_receiversIn(m_rooms.size(), 0)
    , m_json(size_t(options.bodySize) + 512)
    , m_frame(size_t(options.bodySize) + 512 + kMaxFrameHeader)
    , m_fleet(options, *this)
{
    for (const std::string &room : m_rooms)
        m_joinFrames.push_back(joinRequest(room));
}

uint32_t RoomTraffic::addMember(uint32_t user, uint32_t room, bool receiver)
{
    const uint32_t index = m_fleet.add(user, room);
    m_isReceiver.push_back(receiver ? 1 : 0);
    m_isJoined.push_back(0);
    return index;
}

bool RoomTraffic::setUp()
{
    const int64_t deadline = nowNs() + secondsNs(m_options.timeoutS);
    const size_t total = m_fleet.size();
    m_fleet.run(deadline, [&] {
        // every connection either joined, failed, or closed
        return m_fleet.pending() == 0 &&
               m_joinedCount + m_joinErrors + (total - m_fleet.openCount()) >= total;
    });
    return m_joinedCount == total;
}

void RoomTraffic::authenticated(Conn &c, int64_t)
{
    m_fleet.sendText(c, m_joinFrames[c.tag]);
}

Window *RoomTraffic::windowOf(int64_t stampNs)
{
    for (auto it = m_windows.rbegin(); it != m_windows.rend(); ++it) {
        if (stampNs >= (*it)->startNs && stampNs < (*it)->endNs)
            return it->get();
    }
    return nullptr;
}

void RoomTraffic::frame(Conn &c, const Incoming &in, int64_t now)
{
    switch (in.kind) {
    case Kind::Message: {
        Window *w = in.sentNs >= 0 ? windowOf(in.sentNs) : nullptr;
        if (!w || !m_isJoined[c.index]) {
            ++m_strays;
            return;
        }
        if (!m_isReceiver[c.index]) {
            ++w->otherReceived;
            return;
        }
        ++w->received;
        w->lastReceiveNs = now;
        if (now <= w->deadlineNs)
            ++w->receivedInTime;
        w->latency.record(std::max<int64_t>(0, now - in.sentNs) / 1000);
        return;
    }
    case Kind::Ack:
        if (in.id == "j") {
            if (!m_isJoined[c.index]) {
                m_isJoined[c.index] = 1;
                ++m_joinedCount;
                if (m_isReceiver[c.index])
                    ++m_receiversIn[c.tag];
            }
        } else if (const int64_t seq = numericId(in.id); seq >= 0 && size_t(seq) < m_sent.size()) {
            ++m_windows[m_sent[size_t(seq)].window]->acked;
        }
        return;
    case Kind::Error:
        if (in.code == "rate_limited")
            ++m_rateLimited;
        if (in.id == "j") {
            ++m_joinErrors;
        } else if (const int64_t seq = numericId(in.id); seq >= 0 && size_t(seq) < m_sent.size()) {
            Sent &sent = m_sent[size_t(seq)];
            Window &w = *m_windows[sent.window];
            ++w.sendErrors;
            w.expected -= std::min<uint64_t>(w.expected, sent.expected);
            sent.expected = 0;
        }
        return;
    case Kind::Pong:
    case Kind::Other:
        return;
    }
}

void RoomTraffic::closed(Conn &c)
{
    if (!m_isJoined[c.index])
        return;
    ++m_membersLost;
    if (m_isReceiver[c.index] && m_receiversIn[c.tag] > 0)
        --m_receiversIn[c.tag];
}

size_t RoomTraffic::addWindow(int64_t startNs, int64_t endNs, int64_t deadlineNs)
{
    auto w = std::make_unique<Window>();
    w->startNs = startNs;
    w->endNs = endNs;
    w->deadlineNs = deadlineNs;
    m_windows.push_back(std::move(w));
    return m_windows.size() - 1;
}

void RoomTraffic::send(uint32_t member, int64_t stampNs, size_t window)
{
    if (member & kSentByPeer) {
        m_windows[window]->expected += m_receiversIn[member & ~kSentByPeer];
        return;
    }
    Conn &c = m_fleet.conn(member);
    const uint64_t seq = m_sent.size();
    const size_t jsonSize =
        sendRequest(m_json.data(), m_json.size(), seq, m_rooms[c.tag], stampNs, m_options.bodySize);
    const size_t frameSize =
        encodeClientFrame(kText, m_json.data(), jsonSize, m_fleet.nextMask(), m_frame.data());
    Window &w = *m_windows[window];
    const uint32_t expected = m_receiversIn[c.tag];
    m_sent.push_back({uint32_t(window), 0});
    if (!m_isJoined[member] || !m_fleet.sendRaw(c, m_frame.data(), frameSize)) {
        ++m_unsent;
        return;
    }
    m_sent.back().expected = expected;
    ++w.sent;
    w.expected += expected;
}

uint64_t RoomTraffic::publish(size_t window, int64_t startNs, double rate, uint64_t count,
                              const std::function<uint32_t(uint64_t)> &senderOf, RssWatch &rss)
{
    m_sent.reserve(m_sent.size() + count);
    const double intervalNs = double(kNsPerS) / rate;
    uint64_t i = 0;
    auto tick = [&](int64_t now) -> int64_t {
        rss.poll(now);
        while (i < count) {
            const int64_t scheduled = startNs + int64_t(double(i) * intervalNs);
            if (scheduled > now)
                return scheduled;
            send(senderOf(i), scheduled, window);
            ++i;
        }
        return kNever;
    };
    // Falling behind shows up as latency; the deadline only guards against a stuck loop.
    const int64_t deadline =
        startNs + int64_t(double(count) * intervalNs) + secondsNs(m_options.timeoutS);
    m_fleet.run(
        deadline, [&] { return i >= count; }, tick);
    return i;
}

bool RoomTraffic::drain(size_t window, int64_t untilNs, RssWatch &rss)
{
    Window &w = *m_windows[window];
    return m_fleet.run(
        untilNs, [&] { return w.received >= w.expected && w.acked + w.sendErrors >= w.sent; },
        [&](int64_t now) {
            rss.poll(now);
            return kNever;
        });
}

} // namespace chatbench
