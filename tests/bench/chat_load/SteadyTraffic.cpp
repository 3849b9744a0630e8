#include "SteadyTraffic.h"

#include "Clock.h"
#include "ProcStats.h"
#include "Report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace chatbench {

bool reportSetUp(const char *figure, RoomTraffic &t, bool complete, int64_t startNs)
{
    const size_t total = t.fleet().size();
    std::printf("%s: %zu of %zu members authenticated and joined in %.2f s%s\n", figure, t.joined(),
                total, double(nowNs() - startNs) / 1e9, complete ? "" : " [incomplete]");
    if (!complete)
        printFailures(figure, t.fleet().stats());
    std::fflush(stdout);
    return t.joined() > 0;
}

int runSteady(const Options &o, RoomTraffic &t, const char *figure, double rate,
              const std::function<uint32_t(uint64_t)> &senderOf)
{
    RssWatch rss(o.serverPid, 100 * kNsPerMs);
    const uint64_t count = uint64_t(std::llround(rate * o.durationS));
    const int64_t start =
        o.startAtMs > 0 ? monotonicNsOfEpochMs(o.startAtMs) : nowNs() + 20 * kNsPerMs;
    if (start < nowNs()) {
        std::printf("%s: the agreed start (--start-at) passed during set-up\n", figure);
        return 1;
    }
    const int64_t end = start + secondsNs(o.durationS);
    const size_t wi = t.addWindow(start, end, end + secondsNs(o.drainS));
    const ProcSample before = sampleProcess(o.serverPid);
    const int64_t selfBefore = selfCpuNs();
    std::printf("%s: publishing %.0f messages/s for %.0f s (%llu messages, %d-byte bodies)\n",
                figure, rate, o.durationS, static_cast<unsigned long long>(count), o.bodySize);
    std::fflush(stdout);

    t.publish(wi, start, rate, count, senderOf, rss);
    const ProcSample sendEnd = sampleProcess(o.serverPid);
    const double selfCpu =
        100.0 * double(selfCpuNs() - selfBefore) / double(std::max<int64_t>(1, nowNs() - start));
    t.drain(wi, nowNs() + secondsNs(o.drainS), rss);
    const ProcSample after = sampleProcess(o.serverPid);
    rss.poll(kNever - 1);

    const Window &w = t.window(wi);
    const double spanS =
        std::max(o.durationS, double(std::max<int64_t>(0, w.lastReceiveNs - start)) / 1e9);
    const double perS = double(w.received) / spanS;
    const double allPerS = double(w.received + w.otherReceived) / spanS;
    const uint64_t lost = w.expected - std::min(w.expected, w.received);
    const double cpu = cpuPercent(before, sendEnd);
    const Histogram &h = w.latency;
    std::printf(
        "%s: %llu sent, %llu acked, %llu send errors (%llu rate_limited), %llu unsent; "
        "%llu of %llu deliveries received (%llu lost), %.0f deliveries/s (%.0f/s with "
        "senders' copies)\n",
        figure, static_cast<unsigned long long>(w.sent), static_cast<unsigned long long>(w.acked),
        static_cast<unsigned long long>(w.sendErrors),
        static_cast<unsigned long long>(t.rateLimited()),
        static_cast<unsigned long long>(t.unsent()), static_cast<unsigned long long>(w.received),
        static_cast<unsigned long long>(w.expected), static_cast<unsigned long long>(lost), perS,
        allPerS);
    std::printf("%s: latency p50 %.3f ms, p99 %.3f ms, max %.3f ms; server CPU %.0f%% (its core "
                "%.0f%% busy), RSS %lld kB -> %lld kB (max %lld kB); tool CPU %.0f%%\n",
                figure, Histogram::ms(h.percentile(0.5)), Histogram::ms(h.percentile(0.99)),
                Histogram::ms(h.max()), cpu, corePercent(before, sendEnd),
                static_cast<long long>(before.rssKb), static_cast<long long>(after.rssKb),
                static_cast<long long>(rss.maxKb()), selfCpu);
    printFailures(figure, t.fleet().stats());

    Result(figure, o.label)
        .add("msgs_per_s", rate, 0)
        .add("deliveries_per_s", perS, 0)
        .latency(h)
        .add("lost", lost)
        .add("expected", w.expected)
        .measured("server_cpu_pct", cpu)
        .measured("server_core_pct", corePercent(before, sendEnd))
        .measured("rss_start_kb", rssKbOf(before))
        .measured("rss_end_kb", rssKbOf(after))
        .measured("rss_max_kb", double(rss.maxKb()))
        .add("all_deliveries_per_s", allPerS, 0)
        .add("rate_limited", t.rateLimited())
        .add("send_errors", w.sendErrors)
        .add("tool_cpu_pct", selfCpu, 0)
        .addFields(failureFields(t.fleet().stats()))
        .print();
    return 0;
}

} // namespace chatbench
