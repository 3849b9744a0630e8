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
                 "usage: stream_load_bench --port P [--host 127.0.0.1] [--path /live/bench]\n"
                 "         [--listeners N] [--ramp CONNECTS_PER_S] [--duration S] [--settle S]\n"
                 "         [--timeout S] [--bitrate BITS_PER_S] [--full-rate-share 0.95]\n"
                 "         [--sources K] [--server-pid PID] [--label NAME] [--scenario NAME]\n"
                 "Opens N HTTP listeners (GET path, Icy-MetaData: 0) at the ramp rate, holds them\n"
                 "through a settle period and a steady window, and prints RESULT lines.\n");
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
            o.path = value;
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
    exitCode = 0;
    return true;
}

} // namespace streambench
