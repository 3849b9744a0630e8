#pragma once

#include <QIcon>

namespace veza::console {

// The console's icon (window, task bar, tray): three level-meter bars on a dark tile, drawn
// at each size a desktop asks for, so no image file or SVG plugin is needed.
QIcon consoleIcon();

} // namespace veza::console
