#include "ReconnectBackoff.h"

#include <QRandomGenerator>
#include <algorithm>

namespace veza::console {

int ReconnectBackoff::nextDelayMs()
{
    const int base = std::min(kMaxMs, kFirstMs << std::min(m_attempt, 5));
    ++m_attempt;
    const int spread = base / 4;
    return base - spread + int(QRandomGenerator::global()->bounded(2 * spread + 1));
}

} // namespace veza::console
