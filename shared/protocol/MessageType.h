#pragma once

#include <QLatin1StringView>
#include <optional>

// The one list of wire message types, shared by server and console. Append only: a type's
// name is part of the public protocol (docs/protocol.md) and never changes meaning.
#define VEZA_MESSAGE_TYPES(X)                                                                      \
    X(Ping, "ping")                                                                                \
    X(Pong, "pong")                                                                                \
    X(Error, "error")                                                                              \
    X(Ack, "ack")                                                                                  \
    X(Auth, "auth")                                                                                \
    X(Join, "join")                                                                                \
    X(Leave, "leave")                                                                              \
    X(Rooms, "rooms")                                                                              \
    X(Members, "members")                                                                          \
    X(CreateRoom, "create_room")                                                                   \
    X(Send, "send")                                                                                \
    X(Edit, "edit")                                                                                \
    X(Delete, "delete")                                                                            \
    X(Typing, "typing")                                                                            \
    X(React, "react")                                                                              \
    X(DirectMessage, "dm")                                                                         \
    X(History, "history")                                                                          \
    X(Resume, "resume")                                                                            \
    X(Message, "message")                                                                          \
    X(Edited, "edited")                                                                            \
    X(Deleted, "deleted")                                                                          \
    X(Reaction, "reaction")                                                                        \
    X(Presence, "presence")                                                                        \
    X(RoomState, "room_state")                                                                     \
    X(Timeout, "timeout")                                                                          \
    X(Ban, "ban")                                                                                  \
    X(Unban, "unban")                                                                              \
    X(SlowMode, "slow_mode")                                                                       \
    X(Lock, "lock")                                                                                \
    X(Purge, "purge")                                                                              \
    X(ModerationEvent, "moderation")                                                               \
    X(DeviceRegister, "device_register")                                                           \
    X(PrekeysUpload, "prekeys_upload")                                                             \
    X(Devices, "devices")                                                                          \
    X(PrekeyClaim, "prekey_claim")                                                                 \
    X(Grant, "grant")                                                                              \
    X(Revoke, "revoke")                                                                            \
    X(Report, "report")                                                                            \
    X(MarkRead, "mark_read")                                                                       \
    X(Invite, "invite")                                                                            \
    X(Kick, "kick")

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
