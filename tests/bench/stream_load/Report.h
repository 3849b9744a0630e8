// Machine-readable result lines: "RESULT <scenario> server=<label> key=value ...", read by
// tests/bench/stream_bench.sh.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace streambench {

class Result
{
public:
    Result(std::string_view figure, std::string_view label);
    Result &add(std::string_view key, double value, int decimals = 1);
    Result &add(std::string_view key, int64_t value);
    Result &add(std::string_view key, int value) { return add(key, int64_t(value)); }
    Result &add(std::string_view key, std::string_view value);
    // A measurement that may be unavailable (negative): written as "-".
    Result &measured(std::string_view key, double value, int decimals = 0);
    void print() const;

private:
    std::string m_line;
};

} // namespace streambench
