#include "ResultLine.h"

#include "Histogram.h"

#include <cstdio>

namespace BENCH_NAMESPACE {

Result::Result(std::string_view figure, std::string_view label)
{
    m_line = "RESULT ";
    m_line += figure;
    m_line += " server=";
    m_line += label.empty() ? std::string_view("-") : label;
}

Result &Result::add(std::string_view key, double value, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return add(key, std::string_view(buf));
}

Result &Result::add(std::string_view key, int64_t value)
{
    return add(key, std::string_view(std::to_string(value)));
}

Result &Result::add(std::string_view key, std::string_view value)
{
    m_line += ' ';
    m_line += key;
    m_line += '=';
    m_line += value;
    return *this;
}

Result &Result::addFields(std::string_view keyValues)
{
    if (!keyValues.empty()) {
        m_line += ' ';
        m_line += keyValues;
    }
    return *this;
}

Result &Result::measured(std::string_view key, double value, int decimals)
{
    return value < 0 ? add(key, std::string_view("-")) : add(key, value, decimals);
}

Result &Result::latency(const Histogram &h)
{
    return add("p50_ms", Histogram::ms(h.percentile(0.50)), 3)
        .add("p99_ms", Histogram::ms(h.percentile(0.99)), 3)
        .add("max_ms", Histogram::ms(h.max()), 3);
}

void Result::print() const
{
    std::printf("%s\n", m_line.c_str());
    std::fflush(stdout);
}

} // namespace BENCH_NAMESPACE
