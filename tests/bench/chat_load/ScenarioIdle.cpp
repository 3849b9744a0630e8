// idle: open and authenticate N connections as fast as possible (--concurrency handshakes in
// flight), hold them, and read the server's RSS before and after.
#include "Clock.h"
#include "Fleet.h"
#include "ProcStats.h"
#include "Report.h"
#include "Scenarios.h"

#include <cstdio>

namespace chatbench {

int runIdle(const Options &o)
{
    FleetHandler nothing;
    Fleet fleet(o, nothing);
    for (int i = 0; i < o.connections; ++i)
        fleet.add(o.userOffset + uint32_t(i) + 1, 0);

    const ProcSample before = sampleProcess(o.serverPid);
    const int64_t selfBefore = selfCpuNs();
    std::printf("idle: opening %d connections, %d handshakes in flight, %d source addresses\n",
                o.connections, o.concurrency, o.sources);
    std::fflush(stdout);
    const int64_t start = nowNs();
    const bool complete =
        fleet.run(start + secondsNs(o.timeoutS), [&] { return fleet.pending() == 0; });
    const FleetStats &s = fleet.stats();
    const double openS =
        s.lastAuthNs > s.firstConnectNs ? double(s.lastAuthNs - s.firstConnectNs) / 1e9 : 0;
    const double perS = openS > 0 ? double(s.authenticated) / openS : 0;
    const double selfCpu = 100.0 * double(selfCpuNs() - selfBefore) / double(nowNs() - start);
    const ProcSample afterOpen = sampleProcess(o.serverPid);
    std::printf("idle: %llu authenticated in %.2f s (%.0f connections/s)%s; auth latency "
                "p50 %.1f ms, p99 %.1f ms; tool CPU %.0f%%\n",
                static_cast<unsigned long long>(s.authenticated), openS, perS,
                complete ? "" : " [timed out]", Histogram::ms(s.authLatency.percentile(0.5)),
                Histogram::ms(s.authLatency.percentile(0.99)), selfCpu);
    std::fflush(stdout);

    fleet.run(nowNs() + secondsNs(o.holdS), {}); // hold (and notice closes)
    const ProcSample after = sampleProcess(o.serverPid);
    const size_t held = fleet.openCount();
    const double perConnKb =
        held > 0 && before.ok && after.ok ? double(after.rssKb - before.rssKb) / double(held) : -1;
    std::printf("idle: holding %zu connections after %.0f s; server RSS %lld kB before, %lld kB "
                "after (%.2f kB per connection); server CPU while opening %.0f%% (its core %.0f%% "
                "busy)\n",
                held, o.holdS, static_cast<long long>(before.rssKb),
                static_cast<long long>(after.rssKb), perConnKb, cpuPercent(before, afterOpen),
                corePercent(before, afterOpen));
    printFailures("idle", s);

    Result("idle", o.label)
        .add("connections", uint64_t(held))
        .add("requested", o.connections)
        .add("conn_per_s", perS, 0)
        .add("open_s", openS, 2)
        .add("auth_p50_ms", Histogram::ms(s.authLatency.percentile(0.5)), 2)
        .add("auth_p99_ms", Histogram::ms(s.authLatency.percentile(0.99)), 2)
        .measured("rss_before_kb", rssKbOf(before))
        .measured("rss_after_kb", rssKbOf(after))
        .measured("rss_per_conn_kb", perConnKb, 2)
        .measured("server_cpu_pct", cpuPercent(before, afterOpen))
        .measured("server_core_pct", corePercent(before, afterOpen))
        .add("tool_cpu_pct", selfCpu, 0)
        .addFields(failureFields(s))
        .print();
    return s.authenticated > 0 ? 0 : 1;
}

} // namespace chatbench
