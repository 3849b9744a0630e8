#pragma once

// The chat persistence layer in one include: ChatRooms (users, rooms, membership, unread
// counts) and ChatMessages (messages, edits, deletes, reactions, history, resume). All of it
// runs synchronously on Database worker threads, inside Database::run jobs.

#include "chat/ChatMessages.h" // IWYU pragma: export
#include "chat/ChatRooms.h"    // IWYU pragma: export
#include "chat/ChatTypes.h"    // IWYU pragma: export
