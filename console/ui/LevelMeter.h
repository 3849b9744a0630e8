#pragma once

#include <QWidget>

namespace veza::console {

// A horizontal level meter in dBFS (-60 to 0): the RMS as a bar, the peak as a line, green,
// amber above -12 dB and red above -3 dB, the value as text. Shows what it is given; the
// /monitor level subscription feeds it ten times a second. GUI thread.
class LevelMeter : public QWidget
{
    Q_OBJECT

public:
    explicit LevelMeter(const QString &label, QWidget *parent = nullptr);

    void setLabel(const QString &label);
    void setLevels(double peakDbfs, double rmsDbfs);
    double peak() const { return m_peak; }
    double rms() const { return m_rms; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_label;
    double m_peak = -120;
    double m_rms = -120;
};

} // namespace veza::console
