// stream_load_bench: HTTP listeners against a live MP3 mount (veza-server's /live/{name} or
// Icecast 2's), for tests/bench/stream_bench.sh. Phases: ramp (N connects at R/s, each bounded
// by --timeout to its first body byte), settle (bursts delivered), steady window (rate per
// listener, server CPU and RSS). Prints RESULT lines (Report.h) and a human summary.
#include "Clock.h"
#include "Fleet.h"
#include "Options.h"
#include "ProcStats.h"
#include "ResultLine.h"
#include "Tally.h"

#include <algorithm>
#include <csignal>
#include <cstdio>

using namespace streambench;

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
    const ProcSample baseline = sampleProcess(o.serverPid);

    // Ramp: every listener opened and either at its first byte or failed.
    const int64_t rampStart = nowNs();
    fleet.startRamp(rampStart);
    const double rampS = double(o.listeners) / o.ramp;
    fleet.run(rampStart + secondsNs(rampS + o.timeoutS + 1), true);
    const double rampTookS = double(nowNs() - rampStart) / double(kNsPerS);
    std::printf("%s %s: %d listeners opened in %.1f s (ramp %.0f/s)\n", o.label.c_str(),
                o.scenario.c_str(), fleet.opened(), rampTookS, o.ramp);
    std::fflush(stdout);

    // Settle, then the steady window.
    fleet.run(nowNs() + secondsNs(o.settleS), false);
    fleet.openWindow();
    RssWatch rss(o.serverPid, 500 * kNsPerMs);
    const ProcSample from = sampleProcess(o.serverPid);
    const int64_t selfFrom = selfCpuNs();
    const int64_t windowStart = nowNs();
    const int64_t windowEnd = windowStart + secondsNs(o.durationS);
    while (nowNs() < windowEnd) {
        fleet.run(std::min(windowEnd, nowNs() + 500 * kNsPerMs), false);
        rss.poll(nowNs());
    }
    const ProcSample to = sampleProcess(o.serverPid);
    const double windowS =
        double(to.atNs > 0 ? to.atNs - windowStart : nowNs() - windowStart) / double(kNsPerS);
    const double toolCpu = 100.0 * double(selfCpuNs() - selfFrom) / double(nowNs() - windowStart);

    const Tally t = tally(fleet.listeners(), o.bitrate, windowS, o.fullRateShare);
    const double rssMb = to.ok ? double(to.rssKb) / 1024.0 : -1;
    const double baseMb = baseline.ok ? double(baseline.rssKb) / 1024.0 : -1;
    const double kbPerListener = to.ok && baseline.ok && t.connected > 0
                                     ? double(to.rssKb - baseline.rssKb) / double(t.connected)
                                     : -1;

    Result(o.scenario, o.label)
        .add("listeners", o.listeners)
        .add("connected", t.connected)
        .add("full_rate", t.fullRate)
        .add("connect_failed", t.connectFailed)
        .add("refused", t.httpRefused)
        .add("timed_out", t.timedOut + t.closedInHead)
        .add("closed", t.closed)
        .print();
    Result(o.scenario, o.label)
        .add("first_byte_p50_ms", Histogram::ms(t.firstByte.percentile(0.50)), 1)
        .add("first_byte_p99_ms", Histogram::ms(t.firstByte.percentile(0.99)), 1)
        .add("first_byte_max_ms", Histogram::ms(t.firstByte.max()), 1)
        .print();
    Result(o.scenario, o.label)
        .measured("cpu_pct", cpuPercent(from, to), 1)
        .measured("core_pct", corePercent(from, to), 1)
        .measured("rss_mb", rssMb, 1)
        .measured("rss_max_mb", rss.maxKb() > 0 ? double(rss.maxKb()) / 1024.0 : -1, 1)
        .measured("rss_idle_mb", baseMb, 1)
        .measured("kb_per_listener", kbPerListener, 1)
        .add("rate_min_pct", t.ratePctMin, 1)
        .add("rate_p1_pct", t.ratePctP1, 1)
        .add("rate_median_pct", t.ratePctMedian, 1)
        .add("tool_cpu_pct", toolCpu, 1)
        .print();
    if (t.connectFailed + t.httpRefused + t.timedOut + t.closedInHead + t.closed > 0)
        std::printf("%s %s: connect errors %s, HTTP statuses %s, closed in head %d, no first "
                    "byte within %.0f s %d, closed after connecting %d\n",
                    o.label.c_str(), o.scenario.c_str(), t.errnosText().c_str(),
                    t.statusesText().c_str(), t.closedInHead, o.timeoutS, t.timedOut, t.closed);
    std::printf("%s %s: window %.1f s; at full rate = still connected and >= %.0f%% of %lld "
                "bit/s over the window\n",
                o.label.c_str(), o.scenario.c_str(), windowS, 100 * o.fullRateShare,
                static_cast<long long>(o.bitrate));
    return 0;
}
