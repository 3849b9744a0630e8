#pragma once

#include "Retranslator.h"
#include "StreamHistory.h"

#include <QWidget>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace veza::console {

// One stream's listeners and received bitrate over the console's session, as two lines on a
// time axis (Qt Charts), following StreamHistory as samples arrive. GUI thread.
class StreamCharts : public QWidget
{
    Q_OBJECT

public:
    StreamCharts(StreamHistory *history, QWidget *parent = nullptr);

    void showStream(const QString &name);
    int points() const; // in the listeners' line (tests)

protected:
    void changeEvent(QEvent *event) override;

private:
    void add(const QString &stream, const StreamHistory::Sample &sample);
    void rescale();

    StreamHistory *m_history;
    QString m_stream;
    QChartView *m_view = nullptr;
    QLineSeries *m_listeners = nullptr;
    QLineSeries *m_bitrate = nullptr;
    QDateTimeAxis *m_time = nullptr;
    QValueAxis *m_listenersAxis = nullptr;
    QValueAxis *m_bitrateAxis = nullptr;
    Retranslator m_texts;
};

} // namespace veza::console
