#include "Fleet.h"

#include "Clock.h"
#include "Jwt.h"
#include "WsFrame.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <type_traits>
#include <unistd.h>

namespace chatbench {
namespace {

constexpr size_t kReadBuffer = 256 * 1024;
// Largest frame accepted; veza closes at 64 KiB, and a frame must fit the read buffer.
constexpr uint64_t kMaxPayload = 128 * 1024;
constexpr size_t kMaxHttpHead = 16 * 1024;

template <typename Map> std::string mapText(const Map &map)
{
    std::string out;
    for (const auto &[key, count] : map) {
        if (!out.empty())
            out += ',';
        if constexpr (std::is_same_v<typename Map::key_type, std::string>)
            out += key;
        else
            out += std::to_string(key);
        out += ':';
        out += std::to_string(count);
    }
    return out.empty() ? "-" : out;
}

bool isHandshake(ConnState state)
{
    return state == ConnState::Connecting || state == ConnState::Upgrading ||
           state == ConnState::Authenticating;
}

} // namespace

std::string FleetStats::closeCodesText() const
{
    return mapText(closeCodes);
}

std::string FleetStats::errorCodesText() const
{
    return mapText(errorCodes);
}

std::string FleetStats::connectErrnosText() const
{
    return mapText(connectErrnos);
}

Fleet::Fleet(const Options &options, FleetHandler &handler)
    : m_options(options)
    , m_handler(handler)
    , m_rng(uint64_t(nowNs()) | 1)
    , m_unixStart(int64_t(std::time(nullptr)))
    , m_buf(new char[kReadBuffer])
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0)
        throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    m_target.sin_family = AF_INET;
    m_target.sin_port = htons(options.port);
    if (inet_pton(AF_INET, options.host.c_str(), &m_target.sin_addr) != 1)
        throw std::runtime_error("--host must be an IPv4 address: " + options.host);
}

Fleet::~Fleet()
{
    closeAll();
    if (m_epoll >= 0)
        ::close(m_epoll);
}

uint32_t Fleet::add(uint32_t user, uint32_t tag)
{
    Conn &c = m_conns.emplace_back();
    c.index = uint32_t(m_conns.size() - 1);
    c.user = user;
    c.tag = tag;
    return c.index;
}

uint32_t Fleet::nextMask()
{
    m_rng ^= m_rng << 13;
    m_rng ^= m_rng >> 7;
    m_rng ^= m_rng << 17;
    return uint32_t(m_rng >> 16);
}

void Fleet::openQueued(int64_t now)
{
    const size_t limit = size_t(m_options.concurrency);
    while (m_inFlight < limit && m_nextToOpen < m_conns.size())
        openOne(m_conns[m_nextToOpen++], now);
}

void Fleet::openOne(Conn &c, int64_t now)
{
    ++m_stats.started;
    if (m_stats.firstConnectNs == 0)
        m_stats.firstConnectNs = now;
    c.startNs = now;
    auto fail = [&](int err) {
        ++m_stats.connectFailed;
        ++m_stats.connectErrnos[err];
        if (c.fd >= 0)
            ::close(c.fd);
        c.fd = -1;
        c.state = ConnState::Closed;
    };

    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0)
        return fail(errno);
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // Source 127.0.0.k, k = 1..sources; the port is picked at connect() time, per
    // destination, so each source address has its own ephemeral port range.
    setsockopt(c.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in source{};
    source.sin_family = AF_INET;
    source.sin_addr.s_addr = htonl(0x7f000001u + uint32_t(c.index % uint32_t(m_options.sources)));
    if (::bind(c.fd, reinterpret_cast<const sockaddr *>(&source), sizeof source) != 0)
        return fail(errno);
    if (::connect(c.fd, reinterpret_cast<const sockaddr *>(&m_target), sizeof m_target) != 0 &&
        errno != EINPROGRESS)
        return fail(errno);

    // Edge-triggered, registered once: no re-poll of ready sockets on every wait and no
    // epoll_ctl when a write backs up (EPOLLOUT comes with the next edge).
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = c.index;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &ev) != 0)
        return fail(errno);
    c.state = ConnState::Connecting;
    ++m_inFlight;
}

bool Fleet::run(int64_t deadlineNs, const std::function<bool()> &done,
                const std::function<int64_t(int64_t)> &tick)
{
    constexpr int kMaxEvents = 512;
    epoll_event events[kMaxEvents];
    for (;;) {
        int64_t now = nowNs();
        openQueued(now);
        int64_t wake = tick ? tick(now) : kNever;
        if (done && done())
            return true;
        now = nowNs();
        if (now >= deadlineNs)
            return false;
        wake = std::min({wake, deadlineNs, now + 20 * kNsPerMs});
        const int64_t wait = std::max<int64_t>(0, wake - now);
        const timespec timeout{time_t(wait / kNsPerS), long(wait % kNsPerS)};
        const int n = epoll_pwait2(m_epoll, events, kMaxEvents, &timeout, nullptr);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            std::perror("epoll_pwait2");
            return false;
        }
        for (int i = 0; i < n; ++i) {
            handleEvent(m_conns[size_t(events[i].data.u64)], events[i].events);
            // Keep an open-loop schedule on time while a large batch is processed.
            if (tick && (i & 31) == 31)
                tick(nowNs());
        }
    }
}

void Fleet::handleEvent(Conn &c, uint32_t events)
{
    if (c.state == ConnState::Closed || c.fd < 0)
        return;
    if (c.state == ConnState::Connecting) {
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            return;
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
            ++m_stats.connectFailed;
            ++m_stats.connectErrnos[err ? err : ECONNRESET];
            closeConn(c);
            return;
        }
        onConnected(c);
        if (c.state == ConnState::Closed)
            return;
    } else if ((events & EPOLLOUT) && c.outOffset < c.out.size()) {
        flush(c);
        if (c.state == ConnState::Closed)
            return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        onReadable(c);
}

void Fleet::onConnected(Conn &c)
{
    unsigned char keyBytes[16];
    for (size_t i = 0; i < sizeof keyBytes; i += 4) {
        const uint32_t r = nextMask();
        std::memcpy(keyBytes + i, &r, 4);
    }
    const std::string token = makeToken(m_options.secret, c.user, m_unixStart);
    c.out.reserve(token.size() + 320);
    c.out = "GET ";
    c.out += m_options.path;
    c.out += "?access_token=";
    c.out += token;
    c.out += " HTTP/1.1\r\nHost: ";
    c.out += m_options.host;
    c.out += ':';
    c.out += std::to_string(m_options.port);
    c.out += "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ";
    c.out += base64(keyBytes, sizeof keyBytes);
    c.out += "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: veza.chat.v1\r\n\r\n";
    c.outOffset = 0;
    c.state = ConnState::Upgrading;
    flush(c);
}

void Fleet::flush(Conn &c)
{
    while (c.outOffset < c.out.size()) {
        const ssize_t n =
            ::send(c.fd, c.out.data() + c.outOffset, c.out.size() - c.outOffset, MSG_NOSIGNAL);
        if (n > 0) {
            c.outOffset += size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return; // EPOLLOUT edge follows

        if (isHandshake(c.state))
            ++m_stats.closedInHandshake;
        else
            ++m_stats.eof;
        closeConn(c);
        return;
    }
    c.out.clear();
    c.outOffset = 0;
}

bool Fleet::sendRaw(Conn &c, const char *data, size_t size)
{
    if (c.state == ConnState::Closed || c.fd < 0) {
        ++m_stats.sendsDropped;
        return false;
    }
    if (c.outOffset < c.out.size()) { // already backed up: queue behind
        c.out.append(data, size);
        return true;
    }
    const ssize_t n = ::send(c.fd, data, size, MSG_NOSIGNAL);
    if (n == ssize_t(size))
        return true;
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
        ++m_stats.eof;
        closeConn(c);
        return false;
    }
    const size_t written = n > 0 ? size_t(n) : 0;
    c.out.assign(data + written, size - written);
    c.outOffset = 0;
    return true;
}

bool Fleet::sendText(Conn &c, std::string_view payload)
{
    char stackFrame[2048];
    std::string heapFrame;
    char *frame = stackFrame;
    if (payload.size() + kMaxFrameHeader > sizeof stackFrame) {
        heapFrame.resize(payload.size() + kMaxFrameHeader);
        frame = heapFrame.data();
    }
    const size_t n = encodeClientFrame(kText, payload.data(), payload.size(), nextMask(), frame);
    return sendRaw(c, frame, n);
}

void Fleet::sendControl(Conn &c, uint8_t opcode, const char *payload, size_t size)
{
    char frame[125 + kMaxFrameHeader];
    size = std::min<size_t>(size, 125);
    const size_t n = encodeClientFrame(opcode, payload, size, nextMask(), frame);
    sendRaw(c, frame, n);
}

void Fleet::onReadable(Conn &c)
{
    // Edge-triggered: read until the socket is drained (a short read or EAGAIN).
    char *buf = m_buf.get();
    for (;;) {
        const size_t have = c.carry.size();
        if (have)
            std::memcpy(buf, c.carry.data(), have);
        const ssize_t n = ::read(c.fd, buf + have, kReadBuffer - have);
        if (n > 0) {
            m_stats.bytesIn += uint64_t(n);
            const size_t total = have + size_t(n);
            const size_t used = process(c, buf, total, nowNs());
            if (c.state == ConnState::Closed)
                return;
            c.carry.assign(buf + used, buf + total);
            if (size_t(n) < kReadBuffer - have)
                return;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        // EOF or reset
        if (isHandshake(c.state))
            ++m_stats.closedInHandshake;
        else
            ++m_stats.eof;
        closeConn(c);
        return;
    }
}

size_t Fleet::processHttpHead(Conn &c, char *data, size_t size)
{
    const void *end = memmem(data, size, "\r\n\r\n", 4);
    if (!end) {
        if (size > kMaxHttpHead) {
            ++m_stats.httpFailed;
            closeConn(c);
        }
        return 0; // wait for the rest
    }
    const size_t headSize = size_t(static_cast<const char *>(end) - data) + 4;
    int status = 0;
    if (size >= 12 && std::memcmp(data, "HTTP/1.", 7) == 0)
        status = (data[9] - '0') * 100 + (data[10] - '0') * 10 + (data[11] - '0');
    if (status == 101) {
        c.state = ConnState::Authenticating;
        return headSize;
    }
    if (status == 503)
        ++m_stats.refused;
    else
        ++m_stats.httpFailed;
    closeConn(c);
    return size;
}

size_t Fleet::process(Conn &c, char *data, size_t size, int64_t now)
{
    size_t pos = 0;
    if (c.state == ConnState::Upgrading) {
        pos = processHttpHead(c, data, size);
        if (c.state != ConnState::Authenticating)
            return c.state == ConnState::Closed ? size : 0;
    }
    while (pos < size) {
        FrameHeader h;
        const auto *p = reinterpret_cast<const unsigned char *>(data + pos);
        if (!decodeFrameHeader(p, size - pos, h))
            break;
        if (h.payloadSize > kMaxPayload) {
            ++m_stats.protocolErrors;
            closeConn(c);
            return size;
        }
        const size_t frameSize = h.headerSize + size_t(h.payloadSize);
        if (size - pos < frameSize)
            break;
        char *payload = data + pos + h.headerSize;
        if (h.masked)
            applyMask(payload, size_t(h.payloadSize), h.mask);
        pos += frameSize;
        handleFrame(c, h.opcode, h.fin, payload, size_t(h.payloadSize), now);
        if (c.state == ConnState::Closed)
            return size;
    }
    return pos;
}

void Fleet::handleFrame(Conn &c, uint8_t opcode, bool fin, char *payload, size_t size, int64_t now)
{
    ++m_stats.framesIn;
    switch (opcode) {
    case kPing:
        ++m_stats.pings;
        sendControl(c, kPong, payload, size);
        return;
    case kPong:
        return;
    case kClose: {
        const int code = size >= 2 ? (uint8_t(payload[0]) << 8 | uint8_t(payload[1])) : 1005;
        ++m_stats.closeCodes[code];
        if (isHandshake(c.state))
            ++m_stats.closedInHandshake;
        else
            ++m_stats.closedByServer;
        const char echo[2] = {char(code >> 8), char(code & 0xff)};
        sendControl(c, kClose, echo, code == 1005 ? 0 : 2);
        closeConn(c);
        return;
    }
    case kText:
    case kBinary:
        if (fin) {
            handleText(c, std::string_view(payload, size), now);
        } else {
            c.fragmentOpcode = opcode;
            c.fragment.assign(payload, payload + size);
        }
        return;
    case kContinuation:
        if (c.fragmentOpcode == 0) {
            ++m_stats.protocolErrors;
            return;
        }
        c.fragment.insert(c.fragment.end(), payload, payload + size);
        if (fin) {
            c.fragmentOpcode = 0;
            std::vector<char> whole;
            whole.swap(c.fragment);
            handleText(c, std::string_view(whole.data(), whole.size()), now);
        }
        return;
    default:
        ++m_stats.protocolErrors;
        closeConn(c);
        return;
    }
}

void Fleet::markOpen(Conn &c, int64_t now)
{
    c.state = ConnState::Open;
    --m_inFlight;
    ++m_open;
    ++m_stats.authenticated;
    m_stats.lastAuthNs = now;
    m_stats.authLatency.record((now - c.startNs) / 1000);
}

void Fleet::handleText(Conn &c, std::string_view json, int64_t now)
{
    const Incoming in = classify(json);
    if (c.state == ConnState::Authenticating) {
        if (in.kind == Kind::Ack) {
            markOpen(c, now);
            m_handler.authenticated(c, now);
        } else if (in.kind == Kind::Error) {
            ++m_stats.unauthorized;
            closeConn(c);
        }
        return;
    }
    if (in.kind == Kind::Error)
        ++m_stats.errorCodes[std::string(in.code)];
    m_handler.frame(c, in, now);
}

void Fleet::closeConn(Conn &c)
{
    if (c.state == ConnState::Closed)
        return;
    const bool wasHandshake = isHandshake(c.state);
    const bool wasOpen = c.state == ConnState::Open;
    if (c.fd >= 0)
        ::close(c.fd);
    c.fd = -1;
    c.state = ConnState::Closed;
    std::string().swap(c.out);
    c.outOffset = 0;
    std::vector<char>().swap(c.carry);
    std::vector<char>().swap(c.fragment);
    if (wasHandshake)
        --m_inFlight;
    if (wasOpen) {
        --m_open;
        m_handler.closed(c);
    }
}

void Fleet::closeAll()
{
    const linger abort{1, 0};
    for (Conn &c : m_conns) {
        if (c.fd >= 0) {
            setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
            ::close(c.fd);
            c.fd = -1;
        }
        if (c.state != ConnState::Closed && c.state != ConnState::Queued) {
            if (isHandshake(c.state))
                --m_inFlight;
            else if (c.state == ConnState::Open)
                --m_open;
        }
        c.state = ConnState::Closed;
    }
    m_nextToOpen = m_conns.size();
}

} // namespace chatbench
