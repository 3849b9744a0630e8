// stream_load_bench: listeners against a live stream, for tests/bench/stream_bench.sh: HTTP
// (veza-server's /live/{name}[.opus|.mp3|.aac] or Icecast 2's mount) or WebSocket (veza's
// /listen/{name}, Opus packets with sequence numbers and capture times). Phases: idle (server
// CPU with its source and no listener, --idle), ramp (N connects at R/s, each bounded by
// --timeout to its first audio), settle (bursts delivered), steady window (rate and sequence
// gaps per listener, packet latency, server CPU and RSS, the server's /metrics before and
// after). Prints RESULT lines (ResultLine.h) and a human summary.
#include "Clock.h"
#include "Fleet.h"
#include "MetricsScrape.h"
#include "Options.h"
#include "ProcStats.h"
#include "Report.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>

using namespace streambench;

namespace {

// Scrapes /metrics; false (and a note on stderr) when it cannot.
bool scrape(const Options &o, Scrape &out)
{
    std::string error;
    if (scrapeMetrics(o.host, o.metricsPort, out, error))
        return true;
    std::fprintf(stderr, "GET /metrics on port %d: %s\n", o.metricsPort, error.c_str());
    return false;
}

void sleepNs(int64_t ns)
{
    timespec ts{time_t(ns / kNsPerS), long(ns % kNsPerS)};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

} // namespace

int main(int argc, char **argv)
{
    Options o;
    int exitCode = 0;
    if (!parseOptions(argc, argv, o, exitCode))
        return exitCode;
    std::signal(SIGPIPE, SIG_IGN);

    Fleet fleet(o);
    if (!fleet.ok())
        return 1;
    Measurements m;
    if (o.idleS > 0) {
        m.idleFrom = sampleProcess(o.serverPid);
        sleepNs(secondsNs(o.idleS));
        m.idleTo = sampleProcess(o.serverPid);
    }
    m.baseline = sampleProcess(o.serverPid);

    // Ramp: every listener opened and either at its first audio or failed.
    const int64_t rampStart = nowNs();
    fleet.startRamp(rampStart);
    const double rampS = double(o.listeners) / o.ramp;
    fleet.run(rampStart + secondsNs(rampS + o.timeoutS + 1), true);
    const double rampTookS = double(nowNs() - rampStart) / double(kNsPerS);
    std::printf("%s %s: %d listeners opened in %.1f s (ramp %.0f/s)\n", o.label.c_str(),
                o.scenario.c_str(), fleet.opened(), rampTookS, o.ramp);
    std::fflush(stdout);

    // Settle, then the steady window. The first scrape comes a little before the window, so
    // the packets that wait in the sockets while it runs are read before latencies count.
    const int64_t settleEnd = nowNs() + secondsNs(o.settleS);
    fleet.run(settleEnd - 250 * kNsPerMs, false);
    int64_t scrapedAt = nowNs();
    bool scraped = o.metricsPort != 0 && scrape(o, m.before);
    fleet.run(std::max(settleEnd, nowNs() + 100 * kNsPerMs), false);
    fleet.openWindow();
    RssWatch rss(o.serverPid, 500 * kNsPerMs);
    m.from = sampleProcess(o.serverPid);
    const int64_t selfFrom = selfCpuNs();
    const int64_t windowStart = nowNs();
    const int64_t windowEnd = windowStart + secondsNs(o.durationS);
    while (nowNs() < windowEnd) {
        fleet.run(std::min(windowEnd, nowNs() + 500 * kNsPerMs), false);
        rss.poll(nowNs());
    }
    fleet.closeWindow();
    m.to = sampleProcess(o.serverPid);
    const int64_t end = m.to.atNs > 0 ? m.to.atNs : nowNs();
    m.windowS = double(end - windowStart) / double(kNsPerS);
    m.toolCpuPct = 100.0 * double(selfCpuNs() - selfFrom) / double(nowNs() - windowStart);
    m.rssMaxKb = rss.maxKb();
    scraped = scraped && scrape(o, m.after);
    m.scrapeS = double(nowNs() - scrapedAt) / double(kNsPerS);
    m.scraped = scraped;

    report(o, fleet, m);
    return 0;
}
