// chat_load_bench: load generator for the /chat WebSocket protocol (docs/protocol.md), for
// veza-server or any peer speaking the same subset. One thread, one epoll loop.
// Usage: chat_load_bench idle|fanout|peak|rooms [--options] (see --help).
#include "Options.h"
#include "Scenarios.h"

#include <csignal>
#include <cstdio>
#include <exception>
#include <sys/resource.h>

int main(int argc, char **argv)
{
    using namespace chatbench;
    Options options;
    int exitCode = 0;
    if (!parseOptions(argc, argv, options, exitCode))
        return exitCode;

    std::signal(SIGPIPE, SIG_IGN);
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    getrlimit(RLIMIT_NOFILE, &files);
    const unsigned long long needed =
        options.scenario == "idle" || options.scenario == "rooms"
            ? static_cast<unsigned long long>(options.connections)
            : static_cast<unsigned long long>(options.receivers) + 100;
    if (files.rlim_cur < needed + 16)
        std::fprintf(stderr,
                     "chat_load_bench: warning: open-file limit %llu is below the %llu "
                     "connections asked for\n",
                     static_cast<unsigned long long>(files.rlim_cur), needed);

    try {
        if (options.scenario == "idle")
            return runIdle(options);
        if (options.scenario == "fanout")
            return runFanout(options);
        if (options.scenario == "peak")
            return runPeak(options);
        return runRooms(options);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "chat_load_bench: %s\n", e.what());
        return 1;
    }
}
