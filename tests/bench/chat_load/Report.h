// Machine-readable result lines: "RESULT <figure> server=<label> key=value ...", one per
// figure, read by tests/bench/chat_bench.sh.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chatbench {

struct FleetStats;
class Histogram;

class Result
{
public:
    Result(std::string_view figure, std::string_view label);
    Result &add(std::string_view key, double value, int decimals = 1);
    Result &add(std::string_view key, int64_t value);
    Result &add(std::string_view key, uint64_t value) { return add(key, int64_t(value)); }
    Result &add(std::string_view key, int value) { return add(key, int64_t(value)); }
    Result &add(std::string_view key, std::string_view value);
    // A measurement that may be unavailable (negative): written as "-".
    Result &measured(std::string_view key, double value, int decimals = 0);
    // p50_ms, p99_ms, max_ms
    Result &latency(const Histogram &histogram);
    // refused, failed, closed, close_codes, errors
    Result &failures(const FleetStats &stats);
    void print() const;

private:
    std::string m_line;
};

// One human-readable line about failures and closes (nothing when all went well).
void printFailures(const char *scenario, const FleetStats &stats);

} // namespace chatbench
