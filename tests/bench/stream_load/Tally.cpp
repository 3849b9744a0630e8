#include "Tally.h"

#include "Clock.h"

#include <algorithm>
#include <cstring>

namespace streambench {
namespace {

std::string mapText(const std::map<int, int> &map, bool names)
{
    if (map.empty())
        return "-";
    std::string text;
    for (const auto &[key, count] : map) {
        if (!text.empty())
            text += ',';
        text += names && key > 0 ? strerrorname_np(key) : std::to_string(key);
        text += ':';
        text += std::to_string(count);
    }
    return text;
}

} // namespace

std::string Tally::errnosText() const
{
    return mapText(errnos, true);
}

std::string Tally::statusesText() const
{
    return mapText(statuses, false);
}

std::string Tally::closeCodesText() const
{
    return mapText(closeCodes, false);
}

Tally tally(const std::vector<Listener> &listeners, const Options &options, double windowS,
            int path)
{
    Tally t;
    const bool webSocket = options.protocol == Protocol::WebSocket;
    const double share = options.fullRateShare;
    std::vector<double> expectedBytes;
    for (const std::string &p : options.paths)
        expectedBytes.push_back(double(pathBitrate(p, options.bitrate)) / 8.0 * windowS);
    const double expectedPackets = options.packetRate * windowS;
    std::vector<double> rates;
    rates.reserve(listeners.size());
    for (const Listener &l : listeners) {
        if (path >= 0 && l.path != path)
            continue;
        ++t.listeners;
        t.badPackets += l.badPackets;
        t.switches += l.switches;
        if (l.firstByteNs > 0) {
            ++t.connected;
            t.firstByte.record((l.firstByteNs - l.startNs) / 1000);
        }
        switch (l.state) {
        case ListenerState::Idle:
        case ListenerState::Connecting:
        case ListenerState::Head:
            break;
        case ListenerState::Failed:
            switch (l.failure) {
            case Failure::Connect:
                ++t.connectFailed;
                ++t.errnos[l.error];
                break;
            case Failure::HttpStatus:
                ++t.httpRefused;
                ++t.statuses[l.httpStatus];
                break;
            case Failure::ClosedInHead:
                ++t.closedInHead;
                break;
            case Failure::WsClosed:
                ++t.httpRefused;
                ++t.statuses[l.closeCode];
                break;
            case Failure::Timeout:
                ++t.timedOut;
                break;
            case Failure::None:
                break;
            }
            break;
        case ListenerState::Closed:
            ++t.closed;
            if (l.closeCode != 0)
                ++t.closeCodes[l.closeCode];
            rates.push_back(0);
            break;
        case ListenerState::Body: {
            if (webSocket) {
                const uint64_t received = l.packets - l.windowStartPackets;
                const uint32_t gaps = l.gaps - l.windowStartGaps;
                t.windowPackets += received;
                t.windowGaps += gaps;
                t.listenersWithGaps += gaps > 0 ? 1 : 0;
                rates.push_back(expectedPackets > 0 ? 100.0 * double(received) / expectedPackets
                                                    : 0);
                if (l.gotAudio() && gaps == 0 && double(received) >= share * expectedPackets)
                    ++t.fullRate;
                break;
            }
            const double expected = expectedBytes[l.path];
            const double received = double(l.bodyBytes - l.windowStartBytes);
            rates.push_back(expected > 0 ? 100.0 * received / expected : 0);
            if (l.gotAudio() && received >= share * expected)
                ++t.fullRate;
            break;
        }
        }
    }
    if (!rates.empty()) {
        std::sort(rates.begin(), rates.end());
        t.ratePctMin = rates.front();
        t.ratePctP1 = rates[rates.size() / 100];
        t.ratePctMedian = rates[rates.size() / 2];
    }
    return t;
}

} // namespace streambench
