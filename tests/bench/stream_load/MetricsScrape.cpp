#include "MetricsScrape.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace streambench {
namespace {

constexpr int kTimeoutS = 5;

// The value of `label` in a series' label set, empty when absent.
std::string labelValue(const std::string &series, const std::string &label)
{
    const std::string key = label + "=\"";
    size_t at = series.find(key);
    while (at != std::string::npos && series[at - 1] != '{' && series[at - 1] != ',')
        at = series.find(key, at + 1);
    if (at == std::string::npos)
        return {};
    const size_t from = at + key.size();
    const size_t to = series.find('"', from);
    return to == std::string::npos ? std::string() : series.substr(from, to - from);
}

std::string lowerCase(std::string text)
{
    for (char &c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

bool scrapeMetrics(const std::string &host, uint16_t port, Scrape &out, std::string &error)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = std::strerror(errno);
        return false;
    }
    const timeval timeout{kTimeoutS, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    std::string text;
    bool ok = ::inet_pton(AF_INET, host.c_str(), &remote.sin_addr) == 1 &&
              ::connect(fd, reinterpret_cast<const sockaddr *>(&remote), sizeof remote) == 0;
    if (ok) {
        const std::string request =
            "GET /metrics HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
        ok = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == ssize_t(request.size());
    }
    // The body ends after Content-Length bytes (the server may keep the connection open), or
    // at EOF without one.
    size_t expected = std::string::npos;
    char buffer[65536];
    while (ok) {
        if (expected == std::string::npos) {
            const size_t headEnd = text.find("\r\n\r\n");
            if (headEnd != std::string::npos) {
                const size_t at = lowerCase(text.substr(0, headEnd)).find("\r\ncontent-length:");
                if (at != std::string::npos)
                    expected = headEnd + 4 + size_t(std::atoll(text.c_str() + at + 17));
            }
        }
        if (text.size() >= expected)
            break;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            ok = false;
        if (n <= 0)
            break;
        text.append(buffer, size_t(n));
    }
    if (!ok)
        error = std::strerror(errno);
    ::close(fd);
    if (!ok)
        return false;
    const size_t body = text.find("\r\n\r\n");
    if (text.compare(0, 9, "HTTP/1.1 ") != 0 && text.compare(0, 9, "HTTP/1.0 ") != 0) {
        error = "not an HTTP answer";
        return false;
    }
    if (std::atoi(text.c_str() + 9) != 200 || body == std::string::npos) {
        error = text.substr(0, text.find("\r\n"));
        return false;
    }
    out = parseExposition(text.substr(body + 4));
    return true;
}

Scrape parseExposition(const std::string &text)
{
    Scrape scrape;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        // The value follows the last space outside the label set ("name{a=\"x y\"} 1").
        const size_t close = line.rfind('}');
        const size_t space = line.find(' ', close == std::string::npos ? 0 : close);
        if (space == std::string::npos)
            continue;
        const std::string value = line.substr(space + 1);
        double number = 0;
        if (value == "+Inf")
            number = HUGE_VAL;
        else if (value == "-Inf")
            number = -HUGE_VAL;
        else
            number = std::strtod(value.c_str(), nullptr);
        scrape[line.substr(0, space)] = number;
    }
    return scrape;
}

double seriesDelta(const Scrape &before, const Scrape &after, const std::string &series)
{
    const auto to = after.find(series);
    if (to == after.end())
        return -1;
    const auto from = before.find(series);
    return to->second - (from == before.end() ? 0 : from->second);
}

std::map<std::string, double> deltasByLabel(const Scrape &before, const Scrape &after,
                                            const std::string &name, const std::string &label)
{
    std::map<std::string, double> deltas;
    const std::string prefix = name + "{";
    for (auto it = after.lower_bound(prefix); it != after.end() && startsWith(it->first, prefix);
         ++it) {
        const std::string value = labelValue(it->first, label);
        if (!value.empty())
            deltas[value] += seriesDelta(before, after, it->first);
    }
    return deltas;
}

double histogramQuantile(const Scrape &before, const Scrape &after, const std::string &name,
                         double q, double *count)
{
    // (upper bound, cumulative count of new observations), ascending.
    std::vector<std::pair<double, double>> buckets;
    const std::string prefix = name + "_bucket{";
    for (auto it = after.lower_bound(prefix); it != after.end() && startsWith(it->first, prefix);
         ++it) {
        const std::string le = labelValue(it->first, "le");
        const double bound = le == "+Inf" ? HUGE_VAL : std::strtod(le.c_str(), nullptr);
        buckets.emplace_back(bound, seriesDelta(before, after, it->first));
    }
    std::sort(buckets.begin(), buckets.end());
    const double total = buckets.empty() ? 0 : buckets.back().second;
    if (count)
        *count = total;
    if (total <= 0)
        return -1;
    const double rank = q * total;
    double lower = 0;
    double below = 0;
    for (const auto &[bound, cumulative] : buckets) {
        if (cumulative >= rank) {
            if (std::isinf(bound))
                return lower; // the highest finite bound
            const double inBucket = cumulative - below;
            return inBucket > 0 ? lower + (bound - lower) * (rank - below) / inBucket : bound;
        }
        lower = bound;
        below = cumulative;
    }
    return lower;
}

} // namespace streambench
