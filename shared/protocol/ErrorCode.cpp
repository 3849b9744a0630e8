#include "protocol/ErrorCode.h"

#include <array>

namespace veza::protocol {

QLatin1StringView errorCodeName(ErrorCode code)
{
    static constexpr std::array kNames{
#define VEZA_ERROR_NAME(id, name) QLatin1StringView(name),
        VEZA_ERROR_CODES(VEZA_ERROR_NAME)
#undef VEZA_ERROR_NAME
    };
    return kNames[static_cast<std::size_t>(code)];
}

} // namespace veza::protocol
