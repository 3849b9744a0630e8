#include "Report.h"

#include "Fleet.h"
#include "Histogram.h"

#include <cstdio>

namespace chatbench {

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

Result &Result::latency(const Histogram &h)
{
    return add("p50_ms", Histogram::ms(h.percentile(0.50)), 3)
        .add("p99_ms", Histogram::ms(h.percentile(0.99)), 3)
        .add("max_ms", Histogram::ms(h.max()), 3);
}

Result &Result::failures(const FleetStats &s)
{
    return add("refused", s.refused)
        .add("failed", s.failed())
        .add("closed", s.closedByServer + s.eof)
        .add("close_codes", s.closeCodesText())
        .add("errors", s.errorCodesText());
}

void Result::print() const
{
    std::printf("%s\n", m_line.c_str());
    std::fflush(stdout);
}

void printFailures(const char *scenario, const FleetStats &s)
{
    if (s.refused + s.failed() + s.closedByServer + s.eof + s.protocolErrors + s.sendsDropped ==
            0 &&
        s.errorCodes.empty())
        return;
    std::printf("%s: refused (503) %llu, connect failed %llu (errno %s), other HTTP %llu, "
                "unauthorized %llu, closed in handshake %llu; after auth: close frames %llu "
                "(codes %s), EOF/reset %llu, protocol errors %llu, error frames %s, "
                "sends dropped %llu\n",
                scenario, static_cast<unsigned long long>(s.refused),
                static_cast<unsigned long long>(s.connectFailed), s.connectErrnosText().c_str(),
                static_cast<unsigned long long>(s.httpFailed),
                static_cast<unsigned long long>(s.unauthorized),
                static_cast<unsigned long long>(s.closedInHandshake),
                static_cast<unsigned long long>(s.closedByServer), s.closeCodesText().c_str(),
                static_cast<unsigned long long>(s.eof),
                static_cast<unsigned long long>(s.protocolErrors), s.errorCodesText().c_str(),
                static_cast<unsigned long long>(s.sendsDropped));
}

} // namespace chatbench
