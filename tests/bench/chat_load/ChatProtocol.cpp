#include "ChatProtocol.h"

#include <cstdio>
#include <cstring>

namespace chatbench {
namespace {

constexpr std::string_view kTypeKey = "\"type\":\"";
constexpr std::string_view kBodyStamp = "\"body\":\"t=";

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() &&
           std::memcmp(s.data() + s.size() - suffix.size(), suffix.data(), suffix.size()) == 0;
}

size_t find(std::string_view s, std::string_view needle, size_t from = 0)
{
    if (from >= s.size())
        return std::string_view::npos;
    const void *hit = memmem(s.data() + from, s.size() - from, needle.data(), needle.size());
    return hit ? size_t(static_cast<const char *>(hit) - s.data()) : std::string_view::npos;
}

// Value of "key": a string (without quotes), a bare number, or "" for null / absent.
std::string_view valueOf(std::string_view json, std::string_view quotedKeyColon)
{
    size_t at = find(json, quotedKeyColon);
    if (at == std::string_view::npos)
        return {};
    at += quotedKeyColon.size();
    if (at >= json.size())
        return {};
    if (json[at] == '"') {
        const size_t end = json.find('"', at + 1);
        return end == std::string_view::npos ? std::string_view{}
                                             : json.substr(at + 1, end - at - 1);
    }
    size_t end = at;
    while (end < json.size() && json[end] >= '0' && json[end] <= '9')
        ++end;
    return json.substr(at, end - at);
}

int64_t stampOf(std::string_view json)
{
    size_t at = startsWith(json, "{\"body\":\"t=") ? 1 : find(json, kBodyStamp);
    if (at == std::string_view::npos)
        return -1;
    at += kBodyStamp.size();
    int64_t value = 0;
    size_t digits = 0;
    for (; at < json.size() && json[at] >= '0' && json[at] <= '9'; ++at, ++digits)
        value = value * 10 + (json[at] - '0');
    return digits > 0 && digits < 19 ? value : -1;
}

} // namespace

Incoming classify(std::string_view json)
{
    Incoming in;
    // Fast paths: veza writes keys sorted ("type" last), node in insertion order (first).
    if (endsWith(json, "\"type\":\"message\"}") || startsWith(json, "{\"type\":\"message\"")) {
        in.kind = Kind::Message;
        in.sentNs = stampOf(json);
        return in;
    }
    const size_t at = find(json, kTypeKey);
    if (at == std::string_view::npos)
        return in;
    const std::string_view type = json.substr(at + kTypeKey.size());
    if (startsWith(type, "ack\"")) {
        in.kind = Kind::Ack;
        in.id = valueOf(json, "\"id\":");
    } else if (startsWith(type, "error\"")) {
        in.kind = Kind::Error;
        in.id = valueOf(json, "\"id\":");
        in.code = valueOf(json, "\"code\":");
    } else if (startsWith(type, "message\"")) {
        in.kind = Kind::Message;
        in.sentNs = stampOf(json);
    } else if (startsWith(type, "pong\"")) {
        in.kind = Kind::Pong;
    }
    return in;
}

std::string joinRequest(std::string_view room)
{
    std::string out = R"({"type":"join","id":"j","room":")";
    out += room;
    out += "\"}";
    return out;
}

size_t sendRequest(char *out, size_t capacity, uint64_t seq, std::string_view room, int64_t stampNs,
                   int bodySize)
{
    const int head =
        std::snprintf(out, capacity, R"({"type":"send","id":"%llu","room":"%.*s","body":")",
                      static_cast<unsigned long long>(seq), int(room.size()), room.data());
    if (head < 0 || size_t(head) + size_t(bodySize) + 64 > capacity)
        return 0;
    size_t n = size_t(head);
    const int stamp =
        std::snprintf(out + n, capacity - n, "t=%lld;", static_cast<long long>(stampNs));
    if (stamp >= bodySize)
        return 0;
    n += size_t(stamp);
    std::memset(out + n, 'x', size_t(bodySize - stamp));
    n += size_t(bodySize - stamp);
    const int tail = std::snprintf(out + n, capacity - n, R"(","client_msg_id":"m%llu"})",
                                   static_cast<unsigned long long>(seq));
    return tail < 0 ? 0 : n + size_t(tail);
}

int64_t numericId(std::string_view id)
{
    if (id.empty() || id.size() > 18)
        return -1;
    int64_t value = 0;
    for (const char c : id) {
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace chatbench
