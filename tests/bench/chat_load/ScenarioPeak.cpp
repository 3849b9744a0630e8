// peak: --receivers in one room; the publish rate goes through --steps (messages/s), --step
// seconds each. A step kept up when receivers got at least --kept-up of its expected
// deliveries by the step's end + --grace. The peak is the best deliveries/s of a step that
// kept up; stepping stops at the first step that did not. Also reported: the best step that
// kept up with its P99 under --p99-target ms (the latency target).
#include "Clock.h"
#include "ProcStats.h"
#include "Report.h"
#include "RoomTraffic.h"
#include "Scenarios.h"
#include "SteadyTraffic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace chatbench {

int runPeak(const Options &o)
{
    const double maxRate = *std::max_element(o.steps.begin(), o.steps.end());
    const int senders = int(std::ceil(maxRate / o.senderRate));
    RoomTraffic traffic(o, {"peak"});
    for (int r = 0; r < o.receivers; ++r)
        traffic.addMember(o.userOffset + uint32_t(r) + 1, 0, true);
    std::vector<uint32_t> senderConns;
    for (int s = 0; s < senders; ++s)
        senderConns.push_back(
            traffic.addMember(o.userOffset + uint32_t(o.receivers + s) + 1, 0, false));
    std::printf("peak: %d receivers and %d senders joining room peak; steps of %.0f s\n",
                o.receivers, senders, o.stepS);
    std::fflush(stdout);

    const int64_t setUpStart = nowNs();
    const bool complete = traffic.setUp();
    if (!reportSetUp("peak", traffic, complete, setUpStart))
        return 1;

    int64_t rssMaxKb = -1;
    double peak = 0;
    double peakRate = 0;
    double peakP99 = 0;
    double boundedPeak = 0; // best step that also kept P99 under the target
    double boundedRate = 0;
    int keptSteps = 0;
    for (const double rate : o.steps) {
        // Round-robin over the senders needed at this rate only (each <= sender-rate).
        const size_t active = size_t(std::ceil(rate / o.senderRate));
        RssWatch rss(o.serverPid, 100 * kNsPerMs);
        const uint64_t count = uint64_t(std::llround(rate * o.stepS));
        const int64_t start = nowNs() + 20 * kNsPerMs;
        const int64_t end = start + secondsNs(o.stepS);
        const int64_t deadline = end + secondsNs(o.graceS);
        const size_t wi = traffic.addWindow(start, end, deadline);
        const ProcSample before = sampleProcess(o.serverPid);
        const int64_t selfBefore = selfCpuNs();
        traffic.publish(
            wi, start, rate, count, [&](uint64_t i) { return senderConns[i % active]; }, rss);
        const ProcSample sendEnd = sampleProcess(o.serverPid);
        const double selfCpu = 100.0 * double(selfCpuNs() - selfBefore) /
                               double(std::max<int64_t>(1, nowNs() - start));
        traffic.drain(wi, deadline, rss);
        rss.poll(kNever - 1);
        rssMaxKb = std::max(rssMaxKb, rss.maxKb());

        const Window &w = traffic.window(wi);
        const double perS = double(w.receivedInTime) / o.stepS;
        const bool keptUp =
            w.expected > 0 && double(w.receivedInTime) >= o.keptUpFraction * double(w.expected);
        const double cpu = cpuPercent(before, sendEnd);
        const double p99 = Histogram::ms(w.latency.percentile(0.99));
        std::printf("peak: %6.0f msgs/s -> %9.0f deliveries/s (%llu of %llu in time), p50 "
                    "%.3f ms, p99 %.3f ms, max %.3f ms, server CPU %.0f%% (core %.0f%%), RSS "
                    "max %lld kB, tool CPU %.0f%%: %s\n",
                    rate, perS, static_cast<unsigned long long>(w.receivedInTime),
                    static_cast<unsigned long long>(w.expected),
                    Histogram::ms(w.latency.percentile(0.5)), p99, Histogram::ms(w.latency.max()),
                    cpu, corePercent(before, sendEnd), static_cast<long long>(rss.maxKb()), selfCpu,
                    keptUp ? "kept up" : "FELL BEHIND");
        char figure[32];
        std::snprintf(figure, sizeof figure, "peak@%.0f", rate);
        Result(figure, o.label)
            .add("deliveries_per_s", perS, 0)
            .add("expected_per_s", double(w.expected) / o.stepS, 0)
            .latency(w.latency)
            .add("kept_up", keptUp ? 1 : 0)
            .measured("server_cpu_pct", cpu)
            .measured("server_core_pct", corePercent(before, sendEnd))
            .measured("rss_max_kb", double(rss.maxKb()))
            .add("tool_cpu_pct", selfCpu, 0)
            .print();
        if (!keptUp)
            break;
        ++keptSteps;
        if (p99 <= o.p99TargetMs && perS > boundedPeak) {
            boundedPeak = perS;
            boundedRate = rate;
        }
        if (perS > peak) {
            peak = perS;
            peakRate = rate;
            peakP99 = p99;
        }
    }
    const FleetStats &s = traffic.fleet().stats();
    printFailures("peak", s);
    std::printf("peak: %.0f deliveries/s sustained (%.0f messages/s x %d receivers, P99 %.3f ms); "
                "with P99 <= %.0f ms: %.0f deliveries/s (%.0f messages/s); server RSS max %lld "
                "kB\n",
                peak, peakRate, o.receivers, peakP99, o.p99TargetMs, boundedPeak, boundedRate,
                static_cast<long long>(rssMaxKb));
    Result("peak", o.label)
        .add("peak_deliveries_per_s", peak, 0)
        .add("peak_msgs_per_s", peakRate, 0)
        .add("peak_p99_ms", peakP99, 3)
        .add("p99_bounded_deliveries_per_s", boundedPeak, 0)
        .add("p99_bound_ms", o.p99TargetMs, 0)
        .add("steps_kept_up", keptSteps)
        .measured("rss_max_kb", double(rssMaxKb))
        .add("rate_limited", traffic.rateLimited())
        .addFields(failureFields(s))
        .print();
    return 0;
}

} // namespace chatbench
