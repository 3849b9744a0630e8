// fanout: --receivers members of one room; ceil(rate / sender-rate) sender users (members
// too, not counted as receivers) publish --rate messages/s between them, round-robin, so no
// user comes near the server's 100 messages/s limit.
#include "Clock.h"
#include "RoomTraffic.h"
#include "Scenarios.h"
#include "SteadyTraffic.h"

#include <cmath>
#include <cstdio>

namespace chatbench {

int runFanout(const Options &o)
{
    const int senders = int(std::ceil(o.rate / o.senderRate));
    RoomTraffic traffic(o, {"fanout"});
    for (int r = 0; r < o.receivers; ++r)
        traffic.addMember(o.userOffset + uint32_t(r) + 1, 0, true);
    std::vector<uint32_t> senderConns;
    for (int s = 0; s < senders; ++s)
        senderConns.push_back(
            traffic.addMember(o.userOffset + uint32_t(o.receivers + s) + 1, 0, false));
    std::printf("fanout: %d receivers and %d senders (%.1f messages/s each) joining room fanout\n",
                o.receivers, senders, o.rate / senders);
    std::fflush(stdout);

    const int64_t setUpStart = nowNs();
    const bool complete = traffic.setUp();
    if (!reportSetUp("fanout", traffic, complete, setUpStart))
        return 1;
    return runSteady(o, traffic, "fanout", o.rate,
                     [&](uint64_t i) { return senderConns[i % senderConns.size()]; });
}

} // namespace chatbench
