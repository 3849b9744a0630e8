#include "LevelMeter.h"

#include <QLocale>
#include <QPainter>
#include <algorithm>

namespace veza::console {
namespace {

constexpr double kFloorDb = -60;

double fraction(double db)
{
    return std::clamp((db - kFloorDb) / -kFloorDb, 0.0, 1.0);
}

QColor colourOf(double db)
{
    if (db > -3)
        return QColor(0xc6, 0x28, 0x28);
    if (db > -12)
        return QColor(0xef, 0x6c, 0x00);
    return QColor(0x2e, 0x7d, 0x32);
}

} // namespace

LevelMeter::LevelMeter(const QString &label, QWidget *parent)
    : QWidget(parent)
    , m_label(label)
{
    setMinimumHeight(22);
}

QSize LevelMeter::sizeHint() const
{
    return {320, 24};
}

void LevelMeter::setLabel(const QString &label)
{
    m_label = label;
    update();
}

void LevelMeter::setLevels(double peakDbfs, double rmsDbfs)
{
    if (peakDbfs == m_peak && rmsDbfs == m_rms)
        return;
    m_peak = peakDbfs;
    m_rms = rmsDbfs;
    update();
}

void LevelMeter::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    // A common width for the usual labels, so stacked meters line their bars up.
    const int labelWidth = std::max(fontMetrics().horizontalAdvance(m_label),
                                    fontMetrics().horizontalAdvance(QStringLiteral("Sortie D"))) +
                           8;
    const QLocale locale;
    const QString value = m_peak <= -120 ? QStringLiteral("-∞") : locale.toString(m_peak, 'f', 1);
    const int valueWidth = fontMetrics().horizontalAdvance(QStringLiteral("-00.0 dBFS")) + 8;
    const QRect bar = rect().adjusted(labelWidth, 3, -valueWidth, -3);
    painter.drawText(rect().adjusted(0, 0, -width() + labelWidth, 0), Qt::AlignVCenter, m_label);
    painter.fillRect(bar, palette().base());
    QRect filled = bar;
    filled.setWidth(int(bar.width() * fraction(m_rms)));
    painter.fillRect(filled, colourOf(m_rms));
    const int peakX = bar.left() + int(bar.width() * fraction(m_peak));
    painter.setPen(QPen(colourOf(m_peak), 2));
    painter.drawLine(peakX, bar.top(), peakX, bar.bottom());
    painter.setPen(palette().mid().color());
    painter.drawRect(bar.adjusted(0, 0, -1, -1));
    painter.setPen(palette().text().color());
    painter.drawText(QRect(bar.right() + 6, 0, valueWidth, height()), Qt::AlignVCenter,
                     tr("%1 dBFS").arg(value));
}

} // namespace veza::console
