#include "Listener.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace streambench {
namespace {

constexpr size_t kMaxHead = 16384;
constexpr uint8_t kHeaderVersion = 1;
// RFC 6455's sample key and its accept value: a fixed key is fine for a load tool, and the
// expected answer needs no SHA-1 here.
constexpr const char *kWsKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr const char *kWsAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

// The packets' capture times are Unix µs from the server's clock: the same machine's.
int64_t unixMicros()
{
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

void fail(Listener &l, Failure failure, int error)
{
    l.state = ListenerState::Failed;
    l.failure = failure;
    l.error = error;
    closeListener(l);
}

// "HTTP/1.x 200 ..." or Icecast's "ICY 200 OK": the status code, 0 if unreadable.
int statusOf(const std::string &head)
{
    const size_t space = head.find(' ');
    if (space == std::string::npos)
        return 0;
    return std::atoi(head.c_str() + space + 1);
}

// A masked pong (clients must mask) echoing a ping's payload; best effort, it is tiny.
void sendPong(int fd, const WsFrame &ping)
{
    uint8_t frame[2 + 4 + WsFrameReader::kPrefixBytes];
    const size_t length = ping.prefixLength;
    frame[0] = 0x80 | uint8_t(WsOpcode::Pong);
    frame[1] = 0x80 | uint8_t(length);
    const uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    std::memcpy(frame + 2, mask, 4);
    for (size_t i = 0; i < length; ++i)
        frame[6 + i] = ping.prefix[i] ^ mask[i % 4];
    [[maybe_unused]] const ssize_t sent = ::send(fd, frame, 6 + length, MSG_NOSIGNAL);
}

bool hasText(const WsFrame &frame, const char *text)
{
    const size_t length = std::strlen(text);
    const auto *begin = reinterpret_cast<const char *>(frame.prefix);
    for (size_t i = 0; i + length <= frame.prefixLength; ++i) {
        if (std::memcmp(begin + i, text, length) == 0)
            return true;
    }
    return false;
}

// The frames of received bytes: counts packets and gaps, records latencies, notes a close.
// False when the listener ended.
bool readFrames(Listener &l, const uint8_t *data, size_t size, ReadContext &context, int64_t now)
{
    bool closed = false;
    int64_t receivedUs = 0;
    const bool ok = l.frames.feed(data, size, [&](const WsFrame &frame) {
        switch (frame.opcode) {
        case WsOpcode::Binary: {
            l.bodyBytes += frame.length;
            PacketHeader header;
            if (!WsFrameReader::parsePacketHeader(frame, header) ||
                header.version != kHeaderVersion) {
                ++l.badPackets;
                return;
            }
            // A missing packet, a repeat or one out of order: each breaks playback.
            const int64_t skipped = int64_t(header.sequence) - int64_t(l.lastSequence) - 1;
            if (l.packets > 0 && skipped != 0)
                l.gaps += skipped > 0 ? uint32_t(skipped) : 1;
            l.lastSequence = header.sequence;
            l.rendition = header.rendition;
            if (l.packets++ == 0)
                l.firstByteNs = now;
            if (context.latency) {
                if (receivedUs == 0)
                    receivedUs = unixMicros();
                context.latency[l.path].record(receivedUs - header.captureUs);
            }
            return;
        }
        case WsOpcode::Text:
            if (hasText(frame, "\"type\":\"rendition\""))
                ++l.switches;
            return;
        case WsOpcode::Close:
            l.closeCode = WsFrameReader::closeCode(frame);
            closed = true;
            return;
        case WsOpcode::Ping:
            sendPong(l.fd, frame);
            return;
        case WsOpcode::Continuation:
        case WsOpcode::Pong:
            return;
        }
    });
    if (ok && !closed)
        return true;
    if (!l.gotAudio()) {
        fail(l, Failure::WsClosed, 0);
    } else {
        l.state = ListenerState::Closed;
        l.closedNs = now;
        closeListener(l);
    }
    return false;
}

} // namespace

std::string requestFor(Protocol protocol, const std::string &host, uint16_t port,
                       const std::string &path)
{
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" +
                          std::to_string(port) + "\r\nUser-Agent: stream_load_bench\r\n";
    if (protocol == Protocol::WebSocket)
        request += std::string("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ") +
                   kWsKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    else
        request += "Accept: */*\r\nIcy-MetaData: 0\r\n\r\n";
    return request;
}

void startConnect(Listener &l, uint32_t sourceAddress, uint32_t host, uint16_t port, int64_t now)
{
    l.startNs = now;
    l.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (l.fd < 0) {
        fail(l, Failure::Connect, errno);
        return;
    }
    const int one = 1;
    // Lets the kernel pick the port at connect() time per (source, destination) pair, so
    // several source addresses multiply the usable ephemeral ports.
    ::setsockopt(l.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(sourceAddress);
    if (::bind(l.fd, reinterpret_cast<const sockaddr *>(&local), sizeof local) != 0) {
        fail(l, Failure::Connect, errno);
        return;
    }
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_addr.s_addr = htonl(host);
    remote.sin_port = htons(port);
    if (::connect(l.fd, reinterpret_cast<const sockaddr *>(&remote), sizeof remote) != 0 &&
        errno != EINPROGRESS) {
        fail(l, Failure::Connect, errno);
        return;
    }
    l.state = ListenerState::Connecting;
}

bool finishConnect(Listener &l, const std::string &request)
{
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(l.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        error = errno;
    if (error != 0) {
        fail(l, Failure::Connect, error);
        return false;
    }
    // A few dozen bytes into an empty socket buffer: one send() writes them all.
    if (::send(l.fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size())) {
        fail(l, Failure::Connect, errno);
        return false;
    }
    l.state = ListenerState::Head;
    return true;
}

bool readAvailable(Listener &l, ReadContext &context, int64_t now)
{
    const bool webSocket = context.protocol == Protocol::WebSocket;
    char *buffer = reinterpret_cast<char *>(context.buffer);
    for (;;) {
        const ssize_t n = ::recv(l.fd, buffer, context.size, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : 0;
            if (l.state == ListenerState::Head) {
                fail(l, Failure::ClosedInHead, error);
            } else if (webSocket && !l.gotAudio()) {
                fail(l, Failure::WsClosed, error);
            } else {
                l.state = ListenerState::Closed;
                l.error = error;
                l.closedNs = now;
                closeListener(l);
            }
            return false;
        }
        size_t bodyAt = 0;
        if (l.state == ListenerState::Head) {
            l.head.append(buffer, size_t(n));
            const size_t end = l.head.find("\r\n\r\n");
            if (end == std::string::npos) {
                if (l.head.size() > kMaxHead) {
                    fail(l, Failure::HttpStatus, 0);
                    return false;
                }
                continue;
            }
            l.httpStatus = statusOf(l.head);
            const bool accepted =
                webSocket ? l.httpStatus == 101 && l.head.find(kWsAccept) != std::string::npos
                          : l.httpStatus == 200;
            if (!accepted) {
                fail(l, Failure::HttpStatus, 0);
                return false;
            }
            // The head may have started in an earlier read: what follows it in this one.
            bodyAt = size_t(n) - (l.head.size() - (end + 4));
            std::string().swap(l.head);
            l.state = ListenerState::Body;
        }
        const size_t body = size_t(n) - bodyAt;
        if (webSocket) {
            if (body > 0 && !readFrames(l, context.buffer + bodyAt, body, context, now))
                return false;
        } else if (body > 0) {
            if (l.bodyBytes == 0)
                l.firstByteNs = now;
            l.bodyBytes += body;
        }
        if (size_t(n) < context.size)
            return true; // drained (a short read); level-triggered epoll reports the rest
    }
}

void closeListener(Listener &l)
{
    if (l.fd >= 0)
        ::close(l.fd);
    l.fd = -1;
}

} // namespace streambench
