// The floor of a fan-out on this machine: a sender process (pinned to one core) that does
// nothing but write the same message to each of N loopback TCP sockets on a fixed schedule,
// one send() per socket per message, and a receiver process (pinned to the other core) that
// reads them all with epoll. No framing, no queues, no event loop: whatever a real server adds
// comes on top. It prints the cost of one send, the sender's CPU, and the latency from each
// message's scheduled time to its write (sender side) and to its receipt (receiver side).
//
// usage: send_floor_bench [--sockets N] [--bytes B] [--interval-ms I] [--duration S]
//                         [--sndbuf BYTES] [--sender-core C] [--receiver-core C]
//                         [--coalesce 0|1]
// --coalesce 1: when a pass overruns the interval, the messages it made late go out together,
// one send() per socket for all of them (what a server that falls behind can do at best).
#include "Clock.h"
#include "Histogram.h"
#include "ResultLine.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace floorbench;

namespace {

struct Options
{
    int sockets = 5000;
    int bytes = 356; // a 128 kbit/s 20 ms Opus packet behind /listen's headers
    int intervalMs = 20;
    double durationS = 10;
    int sndbuf = 8192; // what /listen sets; 0 leaves the kernel's default
    int senderCore = 0;
    int receiverCore = 1;
    bool coalesce = false; // messages made late by a long pass go out together
};

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "send_floor_bench: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

Options parse(int argc, char **argv)
{
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const char *value = argv[i + 1];
        if (key == "--sockets")
            o.sockets = std::atoi(value);
        else if (key == "--bytes")
            o.bytes = std::atoi(value);
        else if (key == "--interval-ms")
            o.intervalMs = std::atoi(value);
        else if (key == "--duration")
            o.durationS = std::atof(value);
        else if (key == "--sndbuf")
            o.sndbuf = std::atoi(value);
        else if (key == "--sender-core")
            o.senderCore = std::atoi(value);
        else if (key == "--receiver-core")
            o.receiverCore = std::atoi(value);
        else if (key == "--coalesce")
            o.coalesce = std::atoi(value) != 0;
        else {
            std::fprintf(stderr, "unknown option %s\n", key.c_str());
            std::exit(2);
        }
    }
    if (argc % 2 == 0 || o.sockets < 1 || o.bytes < 8 || o.intervalMs < 1 || o.durationS <= 0) {
        std::fprintf(stderr, "usage: send_floor_bench [--sockets N] [--bytes B>=8] "
                             "[--interval-ms I] [--duration S] [--sndbuf BYTES] "
                             "[--sender-core C] [--receiver-core C] [--coalesce 0|1]\n");
        std::exit(2);
    }
    return o;
}

void pinTo(int core)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(core, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        fail("sched_setaffinity");
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Each message starts with its scheduled time (CLOCK_MONOTONIC ns, shared by both processes),
// or 0 during the warm-up, which is not counted.
struct ReceiverReport
{
    int64_t p50 = 0, p99 = 0, max = 0;
    uint64_t count = 0;
};

ReceiverReport receive(const Options &o, const sockaddr_in &address, int readyFd)
{
    std::vector<int> fds;
    fds.reserve(size_t(o.sockets));
    for (int i = 0; i < o.sockets; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address))
            fail("connect");
        fds.push_back(fd);
    }
    const int epoll = epoll_create1(EPOLL_CLOEXEC);
    std::vector<std::string> partial(fds.size());
    for (size_t i = 0; i < fds.size(); ++i) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = i;
        if (epoll_ctl(epoll, EPOLL_CTL_ADD, fds[i], &event))
            fail("epoll_ctl");
    }
    const char ready = 1;
    if (::write(readyFd, &ready, 1) != 1)
        fail("write");

    Histogram latency;
    size_t open = fds.size();
    std::vector<epoll_event> events(1024);
    std::vector<char> buffer(65536);
    while (open > 0) {
        const int n = epoll_wait(epoll, events.data(), int(events.size()), -1);
        for (int e = 0; e < n; ++e) {
            const size_t i = events[size_t(e)].data.u64;
            const ssize_t got = ::recv(fds[i], buffer.data(), buffer.size(), MSG_DONTWAIT);
            if (got == 0) {
                epoll_ctl(epoll, EPOLL_CTL_DEL, fds[i], nullptr);
                ::close(fds[i]);
                --open;
                continue;
            }
            if (got < 0)
                continue;
            const int64_t now = nowNs();
            std::string &bytes = partial[i];
            bytes.append(buffer.data(), size_t(got));
            size_t at = 0;
            for (; bytes.size() - at >= size_t(o.bytes); at += size_t(o.bytes)) {
                int64_t scheduled = 0;
                std::memcpy(&scheduled, bytes.data() + at, sizeof scheduled);
                if (scheduled != 0)
                    latency.record((now - scheduled) / 1000);
            }
            bytes.erase(0, at);
        }
    }
    return {latency.percentile(0.5), latency.percentile(0.99), latency.max(), latency.count()};
}

} // namespace

int main(int argc, char **argv)
{
    const Options o = parse(argc, argv);
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) ||
        ::listen(listener, 4096) ||
        ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length))
        fail("listen");

    int readyPipe[2], reportPipe[2];
    if (::pipe(readyPipe) || ::pipe(reportPipe))
        fail("pipe");
    const int64_t warmUpNs = kNsPerS; // the first second is not counted

    const pid_t child = fork();
    if (child < 0)
        fail("fork");
    if (child == 0) {
        pinTo(o.receiverCore);
        const ReceiverReport report = receive(o, address, readyPipe[1]);
        const std::string line = std::to_string(report.p50) + " " + std::to_string(report.p99) +
                                 " " + std::to_string(report.max) + " " +
                                 std::to_string(report.count) + "\n";
        if (::write(reportPipe[1], line.data(), line.size()) < 0)
            _exit(1);
        _exit(0);
    }
    pinTo(o.senderCore);
    std::vector<int> fds;
    fds.reserve(size_t(o.sockets));
    const int one = 1;
    while (int(fds.size()) < o.sockets) {
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
            fail("accept");
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (o.sndbuf > 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &o.sndbuf, sizeof o.sndbuf);
        fds.push_back(fd);
    }
    char ready = 0;
    if (::read(readyPipe[0], &ready, 1) != 1)
        fail("receiver");

    std::vector<char> message(size_t(o.bytes), 'x');
    Histogram written;
    Histogram pass;
    uint64_t sends = 0, shortWrites = 0, overruns = 0;
    const int64_t intervalNs = int64_t(o.intervalMs) * kNsPerMs;
    const int64_t firstNs = nowNs() + 100 * kNsPerMs;
    const int64_t countFromNs = firstNs + warmUpNs;
    const int64_t endNs = countFromNs + secondsNs(o.durationS);
    double cpuAtCountStart = -1;
    int64_t wallAtCountStart = 0;
    std::vector<char> batch;
    std::vector<int64_t> due;
    uint64_t messagesSent = 0;
    for (int64_t next = firstNs; next < endNs;) {
        const timespec at{time_t(next / kNsPerS), long(next % kNsPerS)};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr) == EINTR) {
        }
        // The messages due now: one, or with --coalesce every one the last pass made late,
        // written together (one send() per socket for all of them).
        const int64_t now = nowNs();
        due.clear();
        do {
            due.push_back(next);
            next += intervalNs;
        } while (o.coalesce && next <= now && next < endNs);
        const bool counted = due.front() >= countFromNs;
        if (counted && cpuAtCountStart < 0) {
            cpuAtCountStart = cpuSeconds();
            wallAtCountStart = nowNs();
        }
        if (now > due.front() + intervalNs)
            ++overruns;
        batch.clear();
        for (const int64_t scheduled : due) {
            const int64_t stamp = scheduled >= countFromNs ? scheduled : 0;
            const size_t offset = batch.size();
            batch.resize(offset + message.size(), 'x');
            std::memcpy(batch.data() + offset, &stamp, sizeof stamp);
        }
        for (const int fd : fds) {
            const ssize_t sent = ::send(fd, batch.data(), batch.size(), MSG_NOSIGNAL);
            if (sent != ssize_t(batch.size()))
                ++shortWrites; // the floor has no queue: a short write is counted, not retried
            if (!counted)
                continue;
            ++sends;
            messagesSent += due.size();
            const int64_t writtenAt = nowNs();
            for (const int64_t scheduled : due)
                written.record((writtenAt - scheduled) / 1000);
        }
        if (counted)
            pass.record((nowNs() - due.front()) / 1000);
    }
    const double cpu = cpuSeconds() - cpuAtCountStart;
    const double wall = double(nowNs() - wallAtCountStart) / double(kNsPerS);
    for (const int fd : fds)
        ::close(fd);

    char report[128] = {};
    const ssize_t got = ::read(reportPipe[0], report, sizeof report - 1);
    int status = 0;
    waitpid(child, &status, 0);
    long long rp50 = 0, rp99 = 0, rmax = 0;
    unsigned long long rcount = 0;
    if (got <= 0 || std::sscanf(report, "%lld %lld %lld %llu", &rp50, &rp99, &rmax, &rcount) != 4)
        fail("receiver report");

    const double sendsPerS = double(sends) / wall;
    const double usPerSend = cpu * 1e6 / double(sends);
    std::printf("floor: %d sockets, %d B every %d ms%s: %.0f sends/s (%.2f messages each) at %.2f "
                "us CPU each, sender CPU %.0f%%; written P50 / P99 / max %.2f / %.2f / %.2f ms (a "
                "whole pass: P99 "
                "%.2f ms); received P50 / P99 / max %.2f / %.2f / %.2f ms; short writes %llu, "
                "late passes %llu\n",
                o.sockets, o.bytes, o.intervalMs, o.coalesce ? ", coalescing" : "", sendsPerS,
                double(messagesSent) / double(std::max<uint64_t>(1, sends)), usPerSend,
                100 * cpu / wall, Histogram::ms(written.percentile(0.5)),
                Histogram::ms(written.percentile(0.99)), Histogram::ms(written.max()),
                Histogram::ms(pass.percentile(0.99)), Histogram::ms(rp50), Histogram::ms(rp99),
                Histogram::ms(rmax), static_cast<unsigned long long>(shortWrites),
                static_cast<unsigned long long>(overruns));
    Result("floor", "send_floor")
        .add("sockets", o.sockets)
        .add("bytes", o.bytes)
        .add("interval_ms", o.intervalMs)
        .add("coalesce", o.coalesce ? 1 : 0)
        .add("messages_per_send", double(messagesSent) / double(std::max<uint64_t>(1, sends)), 2)
        .add("sends_per_s", sendsPerS, 0)
        .add("us_per_send", usPerSend, 2)
        .add("sender_cpu_pct", 100 * cpu / wall, 1)
        .add("written_p50_ms", Histogram::ms(written.percentile(0.5)), 2)
        .add("written_p99_ms", Histogram::ms(written.percentile(0.99)), 2)
        .add("received_p50_ms", Histogram::ms(rp50), 2)
        .add("received_p99_ms", Histogram::ms(rp99), 2)
        .add("received_max_ms", Histogram::ms(rmax), 2)
        .add("short_writes", shortWrites)
        .add("late_passes", overruns)
        .print();
    return 0;
}
