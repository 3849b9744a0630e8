#include "Report.h"

#include "Histogram.h"
#include "ResultLine.h"
#include "Tally.h"

#include <cstdio>

namespace streambench {
namespace {

// A figure name for one path: its last segment with the query folded in
// ("/live/bench.opus?bitrate=32" -> "bench.opus_bitrate_32").
std::string pathTag(const std::string &path)
{
    std::string tag = path.substr(path.rfind('/') + 1);
    for (char &c : tag) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '.' || c == '-';
        if (!plain)
            c = '_';
    }
    return tag;
}

Result &addLatency(Result &line, const Histogram &h)
{
    return line.add("latency_p50_ms", Histogram::ms(h.percentile(0.50)), 2)
        .add("latency_p99_ms", Histogram::ms(h.percentile(0.99)), 2)
        .add("latency_max_ms", Histogram::ms(h.max()), 2)
        .add("latency_packets", h.count());
}

void reportListeners(const Options &o, const Fleet &fleet, const Measurements &m)
{
    const bool webSocket = o.protocol == Protocol::WebSocket;
    const Tally t = tally(fleet.listeners(), o, m.windowS);
    Result counts(o.scenario, o.label);
    counts.add("listeners", o.listeners)
        .add("connected", t.connected)
        .add("full_rate", t.fullRate)
        .add("connect_failed", t.connectFailed)
        .add("refused", t.httpRefused)
        .add("timed_out", t.timedOut + t.closedInHead)
        .add("closed", t.closed);
    if (webSocket)
        counts.add("with_gaps", t.listenersWithGaps)
            .add("missing_packets", t.windowGaps)
            .add("bad_packets", t.badPackets)
            .add("switches", t.switches);
    counts.print();
    Result(o.scenario, o.label)
        .add("first_byte_p50_ms", Histogram::ms(t.firstByte.percentile(0.50)), 1)
        .add("first_byte_p99_ms", Histogram::ms(t.firstByte.percentile(0.99)), 1)
        .add("first_byte_max_ms", Histogram::ms(t.firstByte.max()), 1)
        .print();
    if (webSocket) {
        Histogram all;
        for (const Histogram &h : fleet.latencies())
            all.merge(h);
        Result line(o.scenario, o.label);
        addLatency(line, all).print();
    }

    if (o.perPath && o.paths.size() > 1) {
        for (size_t i = 0; i < o.paths.size(); ++i) {
            const Tally p = tally(fleet.listeners(), o, m.windowS, int(i));
            Result line(o.scenario + "." + pathTag(o.paths[i]), o.label);
            line.add("listeners", p.listeners)
                .add("connected", p.connected)
                .add("full_rate", p.fullRate)
                .add("rate_min_pct", p.ratePctMin, 1)
                .add("rate_median_pct", p.ratePctMedian, 1);
            if (webSocket)
                addLatency(line.add("missing_packets", p.windowGaps), fleet.latencies()[i]);
            line.print();
        }
    }

    const double rssMb = m.to.ok ? double(m.to.rssKb) / 1024.0 : -1;
    const double baseMb = m.baseline.ok ? double(m.baseline.rssKb) / 1024.0 : -1;
    const double kbPerListener = m.to.ok && m.baseline.ok && t.connected > 0
                                     ? double(m.to.rssKb - m.baseline.rssKb) / double(t.connected)
                                     : -1;
    const double cpu = cpuPercent(m.from, m.to);
    Result usage(o.scenario, o.label);
    usage.measured("cpu_pct", cpu, 1).measured("core_pct", corePercent(m.from, m.to), 1);
    if (o.idleS > 0) {
        const double idle = cpuPercent(m.idleFrom, m.idleTo);
        usage.measured("idle_cpu_pct", idle, 1)
            .measured("cpu_over_idle_pct", cpu >= 0 && idle >= 0 ? cpu - idle : -1, 1);
    }
    usage.measured("rss_mb", rssMb, 1)
        .measured("rss_max_mb", m.rssMaxKb > 0 ? double(m.rssMaxKb) / 1024.0 : -1, 1)
        .measured("rss_idle_mb", baseMb, 1)
        .measured("kb_per_listener", kbPerListener, 1)
        .add("rate_min_pct", t.ratePctMin, 1)
        .add("rate_p1_pct", t.ratePctP1, 1)
        .add("rate_median_pct", t.ratePctMedian, 1)
        .add("tool_cpu_pct", m.toolCpuPct, 1)
        .print();

    if (t.connectFailed + t.httpRefused + t.timedOut + t.closedInHead + t.closed > 0)
        std::printf("%s %s: connect errors %s, %s %s, closed in head %d, no first audio "
                    "within %.0f s %d, closed after connecting %d (close codes %s)\n",
                    o.label.c_str(), o.scenario.c_str(), t.errnosText().c_str(),
                    webSocket ? "refusals (HTTP status or close code)" : "HTTP statuses",
                    t.statusesText().c_str(), t.closedInHead, o.timeoutS, t.timedOut, t.closed,
                    t.closeCodesText().c_str());
    if (webSocket)
        std::printf("%s %s: window %.1f s; at full rate = still connected, >= %.0f%% of %.0f "
                    "packets/s over the window and no sequence gap\n",
                    o.label.c_str(), o.scenario.c_str(), m.windowS, 100 * o.fullRateShare,
                    o.packetRate);
    else
        std::printf("%s %s: window %.1f s; at full rate = still connected and >= %.0f%% of the "
                    "path's bitrate (?bitrate=, else %lld bit/s) over the window\n",
                    o.label.c_str(), o.scenario.c_str(), m.windowS, 100 * o.fullRateShare,
                    static_cast<long long>(o.bitrate));
}

// What the server itself counted during the window.
void reportServerMetrics(const Options &o, const Measurements &m)
{
    double e2eCount = 0;
    const double p50 =
        histogramQuantile(m.before, m.after, "stream_end_to_end_latency_seconds", 0.50, &e2eCount);
    const double p99 =
        histogramQuantile(m.before, m.after, "stream_end_to_end_latency_seconds", 0.99);
    auto total = [&](const char *series) {
        const auto it = m.after.find(series);
        return it == m.after.end() ? -1.0 : it->second;
    };
    Result(o.scenario, o.label)
        .measured("e2e_p50_ms", p50 >= 0 ? p50 * 1000 : -1, 2)
        .measured("e2e_p99_ms", p99 >= 0 ? p99 * 1000 : -1, 2)
        .add("e2e_count", int64_t(e2eCount))
        .measured("silence_filled_s",
                  seriesDelta(m.before, m.after, "stream_silence_filled_seconds_total"), 1)
        .measured("silence_filled_total_s", total("stream_silence_filled_seconds_total"), 1)
        .measured("encode_drops", seriesDelta(m.before, m.after, "stream_encode_drops_total"))
        .measured("encode_drops_total", total("stream_encode_drops_total"))
        .print();

    // Encode time per rendition between the scrapes: the share of one core it took.
    const auto seconds = deltasByLabel(m.before, m.after, "audio_encode_seconds_sum", "rendition");
    const auto blocks = deltasByLabel(m.before, m.after, "audio_encode_seconds_count", "rendition");
    Result encode(o.scenario + ".encode", o.label);
    double sum = 0;
    for (const auto &[rendition, s] : seconds) {
        const auto count = blocks.find(rendition);
        if (s <= 0 && (count == blocks.end() || count->second <= 0))
            continue; // idle (or passed through) during the window
        encode.add(rendition + "_core_pct", 100.0 * s / m.scrapeS, 2);
        sum += s;
    }
    encode.add("total_core_pct", 100.0 * sum / m.scrapeS, 2).print();
}

} // namespace

void report(const Options &options, const Fleet &fleet, const Measurements &m)
{
    reportListeners(options, fleet, m);
    if (m.scraped)
        reportServerMetrics(options, m);
}

} // namespace streambench
