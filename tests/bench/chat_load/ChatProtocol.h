// The subset of the chat protocol (docs/protocol.md, /chat) the tool speaks: building join and
// send requests, and classifying the server's frames with as little parsing as possible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatbench {

enum class Kind : uint8_t { Message, Ack, Error, Pong, Other };

struct Incoming
{
    Kind kind = Kind::Other;
    int64_t sentNs = -1;   // message: the t=<ns> stamp at the start of the body, -1 if none
    std::string_view id;   // ack / error: the request id ("" when absent or null)
    std::string_view code; // error: the error code
};

// Looks at the top-level "type" only; for messages reads the body's stamp, for acks and
// errors the id (and the code). Keys may come in any order.
Incoming classify(std::string_view json);

std::string joinRequest(std::string_view room);

// {"type":"send","id":"<seq>","room":...,"body":"t=<stampNs>;xxx...","client_msg_id":"m<seq>"}
// with a body of exactly bodySize bytes. Returns the length written into out (0 if it does
// not fit in capacity).
size_t sendRequest(char *out, size_t capacity, uint64_t seq, std::string_view room, int64_t stampNs,
                   int bodySize);

// Parses a non-negative decimal request id ("17"); -1 if it is not one.
int64_t numericId(std::string_view id);

} // namespace chatbench
