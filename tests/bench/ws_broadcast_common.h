// Shared bits of ws_broadcast_bench: the server process and its client processes talk
// through command-line flags and "KEY value..." lines on the clients' stdout.
#pragma once

#include <QByteArray>
#include <QStringList>
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <vector>

namespace wsbench {

// CLOCK_MONOTONIC is one clock for every process on the machine, so a send timestamp
// written by the server can be compared with the receive time in a client process.
inline qint64 nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Fan-out message: scheduled send time (ns) and sequence number, then padding.
struct MessageHeader
{
    qint64 sentNs;
    qint64 seq;
};

struct Options
{
    QString dispatcher = QStringLiteral("both"); // glib | epoll | both
    int receivers = 1000;
    int rate = 40; // messages per second to each receiver
    int durationS = 10;
    int payload = 64;        // bytes per message
    int connections = 19000; // accept burst size
    int clientProcs = 2;     // accept burst client processes (fd limit per process)
    int window = 1000;       // connects in flight per client process
    // internal: which process this is (server | fanout | burst); empty for the launcher
    QString role;
    quint16 port = 0;
    int count = 0;
};

Options parseOptions(const QStringList &arguments);
QStringList toArguments(const Options &options);

// Runs one client process mode; returns the exit code.
int runFanoutClients(const Options &options);
int runBurstClients(const Options &options);

inline double percentileMs(std::vector<qint64> &samples, double p)
{
    if (samples.empty())
        return -1;
    const size_t k = std::min(samples.size() - 1, size_t(p * double(samples.size())));
    std::nth_element(samples.begin(), samples.begin() + qsizetype(k), samples.end());
    return double(samples[k]) / 1e6;
}

} // namespace wsbench
