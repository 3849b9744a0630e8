#include "Histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace BENCH_NAMESPACE {

int Histogram::indexOf(int64_t micros)
{
    if (micros < kExact)
        return int(std::max<int64_t>(micros, 0));
    const int magnitude = std::bit_width(uint64_t(micros)) - 1; // >= kSubBits + 1
    const int shift = magnitude - kSubBits;                     // >= 1
    const int sub = int(micros >> shift);                       // [512, 1024)
    const int index = kExact + (shift - 1) * (1 << kSubBits) + (sub - (1 << kSubBits));
    return std::min(index, kBuckets - 1);
}

int64_t Histogram::upperBound(int index)
{
    if (index < kExact)
        return index;
    const int rel = index - kExact;
    const int shift = rel / (1 << kSubBits) + 1;
    const int64_t sub = rel % (1 << kSubBits) + (1 << kSubBits);
    return ((sub + 1) << shift) - 1;
}

void Histogram::record(int64_t micros)
{
    ++m_buckets[size_t(indexOf(micros))];
    ++m_count;
    m_sum += micros;
    m_max = std::max(m_max, micros);
}

void Histogram::merge(const Histogram &other)
{
    for (size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
    m_max = std::max(m_max, other.m_max);
}

int64_t Histogram::percentile(double q) const
{
    if (m_count == 0)
        return 0;
    const uint64_t rank = std::max<uint64_t>(1, uint64_t(std::ceil(q * double(m_count))));
    uint64_t seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= rank)
            return std::min(upperBound(int(i)), m_max);
    }
    return m_max;
}

} // namespace BENCH_NAMESPACE
