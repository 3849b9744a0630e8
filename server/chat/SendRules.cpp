#include "chat/SendRules.h"

namespace veza::chat {

std::optional<SendOutcome> refusalOf(const SendAccess &access, const SendRequest &request)
{
    using Status = SendOutcome::Status;
    SendOutcome outcome;
    if (!access.room) {
        outcome.status = Status::NotFound;
        return outcome;
    }
    const RoomInfo &room = *access.room;
    outcome.room = room;
    if (!access.member) {
        outcome.status = Status::NotMember;
        return outcome;
    }
    if (room.locked) {
        outcome.status = Status::Locked;
        return outcome;
    }
    if (room.e2e && request.e2eRequired && !request.message.content.e2e) {
        outcome.status = Status::PlaintextRefused;
        return outcome;
    }
    if (access.sanction.kind != moderation::SanctionState::Kind::None) {
        outcome.sanction = access.sanction;
        outcome.status = Status::Sanctioned;
        return outcome;
    }
    return std::nullopt;
}

qint64 slowModeIntervalMs(const SendAccess &access, const SendRequest &request)
{
    if (!access.room || request.globalModerator || access.roomModerator)
        return 0;
    return qint64(std::max(0, access.room->slowModeS)) * 1000;
}

} // namespace veza::chat
