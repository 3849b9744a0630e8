// Latency histogram in microseconds: exact below 1,024 µs, then 512 sub-buckets per power of
// two (at most 0.2% relative error), up to about 2^40 µs. Recording is an index and an add.
#pragma once

// Shared by the benchmark tools, compiled into each tool's own namespace.
#ifndef BENCH_NAMESPACE
#error "define BENCH_NAMESPACE, the namespace of the tool this is compiled into"
#endif

#include <array>
#include <cstdint>

namespace BENCH_NAMESPACE {

class Histogram
{
public:
    void record(int64_t micros);
    void merge(const Histogram &other);

    uint64_t count() const { return m_count; }
    int64_t max() const { return m_max; }
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0; }
    // Upper bound of the bucket holding the q-quantile (0 < q <= 1); 0 when empty.
    int64_t percentile(double q) const;

    static double ms(int64_t micros) { return double(micros) / 1000.0; }

private:
    static constexpr int kSubBits = 9;           // 512 sub-buckets per octave
    static constexpr int kExact = 2 << kSubBits; // 1024 exact values
    static constexpr int kOctaves = 31;
    static constexpr int kBuckets = kExact + kOctaves * (1 << kSubBits);

    static int indexOf(int64_t micros);
    static int64_t upperBound(int index);

    std::array<uint64_t, kBuckets> m_buckets{};
    uint64_t m_count = 0;
    int64_t m_sum = 0;
    int64_t m_max = 0;
};

} // namespace BENCH_NAMESPACE
