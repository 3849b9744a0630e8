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

Tally tally(const std::vector<Listener> &listeners, int64_t bitrate, double windowS, double share)
{
    Tally t;
    const double expectedBytes = double(bitrate) / 8.0 * windowS;
    std::vector<double> rates;
    rates.reserve(listeners.size());
    for (const Listener &l : listeners) {
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
            case Failure::Timeout:
                ++t.timedOut;
                break;
            case Failure::None:
                break;
            }
            break;
        case ListenerState::Closed:
            ++t.closed;
            rates.push_back(0);
            break;
        case ListenerState::Body: {
            const double received = double(l.bodyBytes - l.windowStartBytes);
            rates.push_back(expectedBytes > 0 ? 100.0 * received / expectedBytes : 0);
            if (l.firstByteNs > 0 && received >= share * expectedBytes)
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
