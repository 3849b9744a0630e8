#include "Report.h"

#include <cstdio>

namespace streambench {

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

Result &Result::measured(std::string_view key, double value, int decimals)
{
    return value < 0 ? add(key, std::string_view("-")) : add(key, value, decimals);
}

void Result::print() const
{
    std::printf("%s\n", m_line.c_str());
    std::fflush(stdout);
}

} // namespace streambench
