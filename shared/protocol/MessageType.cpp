#include "protocol/MessageType.h"

#include <array>

namespace veza::protocol {
namespace {
struct Entry
{
    MessageType type;
    QLatin1StringView name;
};

constexpr std::array kEntries{
#define VEZA_TABLE_ENTRY(id, name) Entry{MessageType::id, QLatin1StringView(name)},
    VEZA_MESSAGE_TYPES(VEZA_TABLE_ENTRY)
#undef VEZA_TABLE_ENTRY
};
} // namespace

QLatin1StringView messageTypeName(MessageType type)
{
    return kEntries[static_cast<std::size_t>(type)].name;
}

std::optional<MessageType> messageTypeFromName(QStringView name)
{
    for (const Entry &entry : kEntries) {
        if (name == entry.name)
            return entry.type;
    }
    return std::nullopt;
}

} // namespace veza::protocol
