#include "Options.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string_view>
#include <type_traits>

namespace chatbench {
namespace {

constexpr const char *kUsage = R"(usage: chat_load_bench SCENARIO [--option value]...

Scenarios (docs/protocol.md subset: auth by access_token, join, send, message events):
  idle    open and authenticate --connections, hold them --hold s, report the rate and the
          server's RSS per connection
  fanout  --receivers in one room, senders publish --rate messages/s for --duration s
  peak    --receivers in one room, publish rate stepped through --steps (messages/s)
  rooms   --connections in rooms of --room-size, one member per room sends --room-rate/s

Options (default):
  --host 127.0.0.1  --port 8081  --path /chat  --secret S (HS256 key)
  --sources 4       client source addresses 127.0.0.1 .. 127.0.0.N
  --server-pid P    sample VmRSS and CPU of this process (/proc)
  --label NAME      added to every RESULT line as server=NAME
  --connections N   idle 19000, rooms 10000      --concurrency 500 (handshakes in flight)
  --timeout 60      seconds allowed for each set-up phase
  --hold 3          idle: seconds to hold before reading RSS
  --user-offset 0   users are u<offset+1>, u<offset+2>, ...
  --receivers 1000  --rate 100  --duration 10  --sender-rate 50 (per sender user)
  --steps 100,200,500,1000,1500,2000,3000  --step 4  --grace 1  --kept-up 0.95
  --p99-target 10   peak: also report the best step that kept up with P99 under this (ms)
  --room-size 10    --room-rate 1  --drain 2  --body 128
  rooms over several server instances (tests/bench/cluster_bench.sh), one tool per instance:
  --peers 1  --peer-index 0  --start-at MS (wall clock, ms since the epoch: publishing starts
          then in every tool; each sends in its share of the rooms and receives them all)
)";

bool toInt(std::string_view text, long long &out)
{
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

bool toDouble(const std::string &text, double &out)
{
    char *end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return !text.empty() && end == text.c_str() + text.size();
}

} // namespace

bool parseOptions(int argc, char **argv, Options &o, int &exitCode)
{
    exitCode = 2;
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return false;
    }
    o.scenario = argv[1];
    if (o.scenario == "--help" || o.scenario == "-h") {
        std::fputs(kUsage, stdout);
        exitCode = 0;
        return false;
    }
    if (o.scenario != "idle" && o.scenario != "fanout" && o.scenario != "peak" &&
        o.scenario != "rooms") {
        std::fprintf(stderr, "chat_load_bench: unknown scenario \"%s\"\n%s", o.scenario.c_str(),
                     kUsage);
        return false;
    }

    auto integer = [](auto &field, long long lo, long long hi) {
        return [&field, lo, hi](const std::string &v) {
            long long n = 0;
            if (!toInt(v, n) || n < lo || n > hi)
                return false;
            field = static_cast<std::remove_reference_t<decltype(field)>>(n);
            return true;
        };
    };
    auto real = [](double &field, double lo) {
        return [&field, lo](const std::string &v) { return toDouble(v, field) && field >= lo; };
    };
    auto text = [](std::string &field) {
        return [&field](const std::string &v) {
            field = v;
            return !v.empty();
        };
    };
    auto stepList = [&o](const std::string &v) {
        o.steps.clear();
        size_t start = 0;
        while (start <= v.size()) {
            const size_t comma = std::min(v.find(',', start), v.size());
            double step = 0;
            if (!toDouble(v.substr(start, comma - start), step) || step <= 0)
                return false;
            o.steps.push_back(step);
            start = comma + 1;
        }
        return !o.steps.empty();
    };

    struct Entry
    {
        const char *name;
        std::function<bool(const std::string &)> set;
    };
    const Entry entries[] = {
        {"host", text(o.host)},
        {"port", integer(o.port, 1, 65535)},
        {"path", text(o.path)},
        {"secret", text(o.secret)},
        {"sources", integer(o.sources, 1, 254)},
        {"server-pid", integer(o.serverPid, 0, 1 << 30)},
        {"label", text(o.label)},
        {"connections", integer(o.connections, 1, 1000000)},
        {"concurrency", integer(o.concurrency, 1, 100000)},
        {"timeout", real(o.timeoutS, 0.1)},
        {"hold", real(o.holdS, 0)},
        {"user-offset", integer(o.userOffset, 0, 1000000000)},
        {"receivers", integer(o.receivers, 1, 1000000)},
        {"rate", real(o.rate, 0.001)},
        {"duration", real(o.durationS, 0.1)},
        {"sender-rate", real(o.senderRate, 0.001)},
        {"steps", stepList},
        {"step", real(o.stepS, 0.1)},
        {"grace", real(o.graceS, 0)},
        {"kept-up", real(o.keptUpFraction, 0)},
        {"p99-target", real(o.p99TargetMs, 0)},
        {"room-size", integer(o.roomSize, 1, 1000000)},
        {"room-rate", real(o.roomRate, 0.001)},
        {"drain", real(o.drainS, 0)},
        {"body", integer(o.bodySize, 32, 60000)},
        {"peers", integer(o.peers, 1, 1000)},
        {"peer-index", integer(o.peerIndex, 0, 999)},
        {"start-at", integer(o.startAtMs, 0, int64_t(1) << 50)},
    };

    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            exitCode = 0;
            return false;
        }
        if (arg.rfind("--", 0) != 0) {
            std::fprintf(stderr, "chat_load_bench: unexpected argument \"%s\"\n", arg.c_str());
            return false;
        }
        std::string name = arg.substr(2);
        std::string value;
        if (const size_t eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            std::fprintf(stderr, "chat_load_bench: --%s needs a value\n", name.c_str());
            return false;
        }
        bool known = false;
        for (const Entry &entry : entries) {
            if (name != entry.name)
                continue;
            known = true;
            if (!entry.set(value)) {
                std::fprintf(stderr, "chat_load_bench: bad value for --%s: \"%s\"\n", name.c_str(),
                             value.c_str());
                return false;
            }
        }
        if (!known) {
            std::fprintf(stderr, "chat_load_bench: unknown option --%s (see --help)\n",
                         name.c_str());
            return false;
        }
    }
    if (o.connections < 0)
        o.connections = o.scenario == "idle" ? 19000 : 10000;
    if (o.scenario == "rooms" && o.connections % o.roomSize != 0) {
        std::fprintf(stderr, "chat_load_bench: --connections must be a multiple of --room-size\n");
        return false;
    }
    return true;
}

} // namespace chatbench
