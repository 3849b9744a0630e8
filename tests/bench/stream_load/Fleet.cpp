#include "Fleet.h"

#include "Clock.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <sys/epoll.h>
#include <unistd.h>

namespace streambench {
namespace {

constexpr size_t kReadBuffer = 64 * 1024;
constexpr uint32_t kLoopback = 0x7f000001; // 127.0.0.1

bool waitingForFirstByte(const Listener &l)
{
    return l.state == ListenerState::Connecting || l.state == ListenerState::Head ||
           (l.state == ListenerState::Body && !l.gotAudio());
}

} // namespace

Fleet::Fleet(const Options &options)
    : m_options(options)
    , m_listeners(size_t(options.listeners))
    , m_buffer(kReadBuffer)
    , m_latencies(options.paths.size())
{
    in_addr address{};
    if (::inet_pton(AF_INET, options.host.c_str(), &address) == 1)
        m_host = ntohl(address.s_addr);
    else
        std::fprintf(stderr, "--host must be an IPv4 address: %s\n", options.host.c_str());
    for (const std::string &path : options.paths)
        m_requests.push_back(requestFor(options.protocol, options.host, options.port, path));
    for (size_t i = 0; i < m_listeners.size(); ++i)
        m_listeners[i].path = uint16_t(i % options.paths.size());
    m_read.protocol = options.protocol;
    m_read.buffer = m_buffer.data();
    m_read.size = m_buffer.size();
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
}

Fleet::~Fleet()
{
    for (Listener &l : m_listeners)
        closeListener(l);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

void Fleet::openDue(int64_t now)
{
    const double elapsedS = double(now - m_rampStartNs) / double(kNsPerS);
    const int due = std::min(m_options.listeners, int(elapsedS * m_options.ramp) + 1);
    while (m_opened < due) {
        const uint32_t index = uint32_t(m_opened++);
        Listener &l = m_listeners[index];
        const uint32_t source = kLoopback + index % uint32_t(m_options.sources);
        startConnect(l, source, m_host, m_options.port, now);
        if (l.state == ListenerState::Failed)
            continue;
        epoll_event event{};
        event.events = EPOLLOUT;
        event.data.u32 = index;
        if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, l.fd, &event) != 0) {
            l.state = ListenerState::Failed;
            l.failure = Failure::Connect;
            l.error = errno;
            closeListener(l);
            continue;
        }
        ++m_pending;
    }
}

void Fleet::expire(int64_t now)
{
    if (now < m_nextExpireNs)
        return;
    m_nextExpireNs = now + 100 * kNsPerMs;
    const int64_t limit = secondsNs(m_options.timeoutS);
    for (int i = 0; i < m_opened; ++i) {
        Listener &l = m_listeners[size_t(i)];
        if (waitingForFirstByte(l) && now - l.startNs > limit) {
            l.state = ListenerState::Failed;
            l.failure = Failure::Timeout;
            closeListener(l);
            --m_pending;
        }
    }
}

void Fleet::handle(uint32_t index, uint32_t events, int64_t now)
{
    Listener &l = m_listeners[index];
    if (l.fd < 0)
        return;
    const bool wasWaiting = waitingForFirstByte(l);
    if (l.state == ListenerState::Connecting) {
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            return;
        if (finishConnect(l, m_requests[l.path])) {
            epoll_event event{};
            event.events = EPOLLIN;
            event.data.u32 = index;
            ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, l.fd, &event);
        }
    } else {
        readAvailable(l, m_read, now);
    }
    if (wasWaiting && !waitingForFirstByte(l))
        --m_pending;
}

bool Fleet::settled() const
{
    return m_opened == m_options.listeners && m_pending == 0;
}

void Fleet::run(int64_t untilNs, bool stopWhenSettled)
{
    epoll_event events[512];
    for (;;) {
        int64_t now = nowNs();
        if (now >= untilNs || (stopWhenSettled && settled()))
            return;
        openDue(now);
        expire(now);
        // 1 ms while the ramp runs (opens are due every 1/R s), else up to 50 ms.
        const int64_t waitNs = std::min<int64_t>(
            untilNs - now, m_opened < m_options.listeners ? kNsPerMs : 50 * kNsPerMs);
        const int n =
            ::epoll_wait(m_epoll, events, 512, int(std::max<int64_t>(waitNs / kNsPerMs, 1)));
        now = nowNs();
        for (int i = 0; i < n; ++i)
            handle(events[i].data.u32, events[i].events, now);
    }
}

void Fleet::openWindow()
{
    for (Listener &l : m_listeners) {
        l.windowStartBytes = l.bodyBytes;
        l.windowStartPackets = l.packets;
        l.windowStartGaps = l.gaps;
    }
    m_read.latency = m_latencies.data();
}

} // namespace streambench
