// rooms: --connections distinct users in rooms of --room-size; the first member of each room
// sends --room-rate messages/s, the rooms phase-shifted evenly so that the total rate is smooth.
// Every member (the sender included) is a receiver.
#include "Clock.h"
#include "RoomTraffic.h"
#include "Scenarios.h"
#include "SteadyTraffic.h"

#include <cstdio>
#include <string>

namespace chatbench {

int runRooms(const Options &o)
{
    const int rooms = o.connections / o.roomSize;
    std::vector<std::string> names;
    names.reserve(size_t(rooms));
    for (int r = 0; r < rooms; ++r)
        names.push_back("room" + std::to_string(r));
    RoomTraffic traffic(o, std::move(names));
    std::vector<uint32_t> senderOfRoom;
    for (int i = 0; i < o.connections; ++i) {
        const uint32_t conn =
            traffic.addMember(o.userOffset + uint32_t(i) + 1, uint32_t(i / o.roomSize), true);
        if (i % o.roomSize == 0)
            senderOfRoom.push_back(conn);
    }
    std::printf("rooms: %d connections in %d rooms of %d, one sender per room at %.1f "
                "messages/s\n",
                o.connections, rooms, o.roomSize, o.roomRate);
    std::fflush(stdout);

    const int64_t setUpStart = nowNs();
    const bool complete = traffic.setUp();
    if (!reportSetUp("rooms", traffic, complete, setUpStart))
        return 1;
    // Message i goes to room i % rooms: room r sends at t0 + (k + r / rooms) / roomRate. With
    // peers, room r's messages come from the tool r % peers.
    return runSteady(o, traffic, "rooms", o.roomRate * rooms, [&](uint64_t i) {
        const uint32_t room = uint32_t(i % senderOfRoom.size());
        return int(room) % o.peers == o.peerIndex ? senderOfRoom[room]
                                                  : RoomTraffic::sentByPeer(room);
    });
}

} // namespace chatbench
