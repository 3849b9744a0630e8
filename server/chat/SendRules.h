#pragma once

#include "chat/SendAccess.h"
#include "chat/SendBatch.h"

#include <optional>

namespace veza::chat {

// The rules a send must pass, read from its SendAccess, shared by every way a batch is stored
// (SendBatch, SendBatchPostgres) so that they cannot drift apart.

// The refusal (room unknown, not a member, room locked, plaintext in an end-to-end room,
// a sanction in force), or nothing when the send may be stored. A refusal writes nothing.
std::optional<SendOutcome> refusalOf(const SendAccess &access, const SendRequest &request);

// The slow-mode interval the sender must keep, in ms: 0 when slow mode is off or the sender
// moderates the room (or the server). Every post records its time either way, so slow mode
// switched on later counts from the last one.
qint64 slowModeIntervalMs(const SendAccess &access, const SendRequest &request);

} // namespace veza::chat
