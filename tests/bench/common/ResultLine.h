// Machine-readable result lines: "RESULT <figure> server=<label> key=value ...", one per figure,
// read by the benchmark scripts (chat_bench.sh, stream_bench.sh).
#pragma once

// Shared by the benchmark tools, compiled into each tool's own namespace.
#ifndef BENCH_NAMESPACE
#error "define BENCH_NAMESPACE, the namespace of the tool this is compiled into"
#endif

#include <cstdint>
#include <string>
#include <string_view>

namespace BENCH_NAMESPACE {

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
    // Several "key=value" pairs already joined by spaces.
    Result &addFields(std::string_view keyValues);
    // A measurement that may be unavailable (negative): written as "-".
    Result &measured(std::string_view key, double value, int decimals = 0);
    // p50_ms, p99_ms, max_ms
    Result &latency(const Histogram &histogram);
    void print() const;

private:
    std::string m_line;
};

} // namespace BENCH_NAMESPACE
