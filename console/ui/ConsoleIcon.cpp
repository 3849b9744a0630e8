#include "ConsoleIcon.h"

#include <QPainter>
#include <QPixmap>

namespace veza::console {

namespace {

QPixmap drawIcon(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal unit = size / 16.0;
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0x1f, 0x2a, 0x44));
    painter.drawRoundedRect(QRectF(0, 0, size, size), 3 * unit, 3 * unit);
    // Levels, low to high, in the meters' green, yellow and red.
    const struct
    {
        qreal height;
        QColor colour;
    } bars[] = {{6, QColor(0x4c, 0xaf, 0x50)},
                {10, QColor(0xff, 0xc1, 0x07)},
                {13, QColor(0xf4, 0x43, 0x36)}};
    qreal x = 2.5 * unit;
    for (const auto &bar : bars) {
        painter.setBrush(bar.colour);
        painter.drawRoundedRect(QRectF(x, (14.5 - bar.height) * unit, 3 * unit, bar.height * unit),
                                unit / 2, unit / 2);
        x += 4 * unit;
    }
    return pixmap;
}

} // namespace

QIcon consoleIcon()
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64, 128, 256})
        icon.addPixmap(drawIcon(size));
    return icon;
}

} // namespace veza::console
