#pragma once

#include <QLatin1StringView>
#include <optional>

// The one list of wire message types, shared by server and console. Append only: a type's
// name is part of the public protocol (docs/protocol.md) and never changes meaning.
#define VEZA_MESSAGE_TYPES(X)                                                                      \
    X(Ping, "ping")                                                                                \
    X(Pong, "pong")                                                                                \
    X(Error, "error")

namespace veza::protocol {

enum class MessageType {
#define VEZA_ENUM_ENTRY(id, name) id,
    VEZA_MESSAGE_TYPES(VEZA_ENUM_ENTRY)
#undef VEZA_ENUM_ENTRY
};

// The wire name of a message type ("ping").
QLatin1StringView messageTypeName(MessageType type);
// The message type a wire name denotes, or nothing for an unknown name.
std::optional<MessageType> messageTypeFromName(QStringView name);

} // namespace veza::protocol
