#include "Options.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace streambench {
namespace {

void usage(FILE *out)
{
    std::fprintf(out,
                 "usage: stream_load_bench --port P [--host 127.0.0.1] [--protocol http|ws]\n"
                 "         [--path /live/bench]... [--listeners N] [--ramp CONNECTS_PER_S]\n"
                 "         [--idle S] [--duration S] [--settle S] [--timeout S]\n"
                 "         [--bitrate BITS_PER_S] [--packet-rate PER_S] [--full-rate-share 0.95]\n"
                 "         [--sources K] [--server-pid PID] [--metrics-port P] [--label NAME]\n"
                 "         [--scenario NAME] [--per-path 0|1]\n"
                 "Opens N listeners at the ramp rate, spread over the paths: HTTP (GET path,\n"
                 "Icy-MetaData: 0) or WebSocket (/listen/{name}: Opus packets with a sequence\n"
                 "number and capture time). Holds them through a settle period and a steady\n"
                 "window, and prints RESULT lines. With --metrics-port, the server's /metrics\n"
                 "is scraped around the window (end-to-end latency, encode time per rendition).\n");
}

bool number(const char *text, double &out)
{
    char *end = nullptr;
    out = std::strtod(text, &end);
    return end != text && *end == '\0';
}

} // namespace

bool parseOptions(int argc, char **argv, Options &o, int &exitCode)
{
    exitCode = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            usage(stdout);
            exitCode = 0;
            return false;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s: missing value (or unknown option)\n", argv[i]);
            usage(stderr);
            return false;
        }
        const char *value = argv[++i];
        double v = 0;
        const bool isNumber = number(value, v);
        auto needNumber = [&](double min) {
            if (isNumber && v >= min)
                return true;
            std::fprintf(stderr, "%s: expected a number >= %g, got '%s'\n", arg.data(), min, value);
            return false;
        };
        if (arg == "--host") {
            o.host = value;
        } else if (arg == "--path") {
            o.paths.emplace_back(value);
        } else if (arg == "--protocol") {
            if (std::strcmp(value, "http") == 0) {
                o.protocol = Protocol::Http;
            } else if (std::strcmp(value, "ws") == 0) {
                o.protocol = Protocol::WebSocket;
            } else {
                std::fprintf(stderr, "--protocol: expected http or ws, got '%s'\n", value);
                return false;
            }
        } else if (arg == "--per-path") {
            if (!needNumber(0))
                return false;
            o.perPath = v != 0;
        } else if (arg == "--label") {
            o.label = value;
        } else if (arg == "--scenario") {
            o.scenario = value;
        } else if (arg == "--port") {
            if (!needNumber(1) || v > 65535)
                return false;
            o.port = uint16_t(v);
        } else if (arg == "--sources") {
            if (!needNumber(1) || v > 254)
                return false;
            o.sources = int(v);
        } else if (arg == "--metrics-port") {
            if (!needNumber(0) || v > 65535)
                return false;
            o.metricsPort = uint16_t(v);
        } else if (arg == "--idle") {
            if (!needNumber(0))
                return false;
            o.idleS = v;
        } else if (arg == "--packet-rate") {
            if (!needNumber(1))
                return false;
            o.packetRate = v;
        } else if (arg == "--server-pid") {
            if (!needNumber(0))
                return false;
            o.serverPid = int(v);
        } else if (arg == "--listeners") {
            if (!needNumber(1))
                return false;
            o.listeners = int(v);
        } else if (arg == "--ramp") {
            if (!needNumber(0.001))
                return false;
            o.ramp = v;
        } else if (arg == "--duration") {
            if (!needNumber(1))
                return false;
            o.durationS = v;
        } else if (arg == "--settle") {
            if (!needNumber(0))
                return false;
            o.settleS = v;
        } else if (arg == "--timeout") {
            if (!needNumber(0.1))
                return false;
            o.timeoutS = v;
        } else if (arg == "--bitrate") {
            if (!needNumber(1000))
                return false;
            o.bitrate = int64_t(v);
        } else if (arg == "--full-rate-share") {
            if (!needNumber(0.01) || v > 1)
                return false;
            o.fullRateShare = v;
        } else {
            std::fprintf(stderr, "unknown option %s\n", arg.data());
            usage(stderr);
            return false;
        }
    }
    if (o.paths.empty())
        o.paths.emplace_back(o.protocol == Protocol::WebSocket ? "/listen/bench" : "/live/bench");
    if (o.paths.size() > 65535) {
        std::fprintf(stderr, "at most 65535 paths\n");
        return false;
    }
    exitCode = 0;
    return true;
}

int64_t pathBitrate(const std::string &path, int64_t fallback)
{
    const size_t query = path.find('?');
    if (query == std::string::npos)
        return fallback;
    size_t at = path.find("bitrate=", query);
    while (at != std::string::npos && path[at - 1] != '?' && path[at - 1] != '&')
        at = path.find("bitrate=", at + 1);
    if (at == std::string::npos)
        return fallback;
    const long value = std::strtol(path.c_str() + at + 8, nullptr, 10);
    if (value <= 0)
        return fallback;
    return value < 1000 ? int64_t(value) * 1000 : int64_t(value);
}

} // namespace streambench
