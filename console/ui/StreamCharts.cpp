#include "StreamCharts.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

namespace veza::console {

StreamCharts::StreamCharts(StreamHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
{
    auto *chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_listeners = new QLineSeries(chart);
    m_bitrate = new QLineSeries(chart);
    m_texts.add([this] {
        m_listeners->setName(tr("Listeners"));
        m_bitrate->setName(tr("Bitrate in (kbit/s)"));
    });
    chart->addSeries(m_listeners);
    chart->addSeries(m_bitrate);
    m_time = new QDateTimeAxis(chart);
    m_time->setFormat(QStringLiteral("HH:mm:ss"));
    m_listenersAxis = new QValueAxis(chart);
    m_listenersAxis->setLabelFormat(QStringLiteral("%d"));
    m_bitrateAxis = new QValueAxis(chart);
    m_bitrateAxis->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_listenersAxis, Qt::AlignLeft);
    chart->addAxis(m_bitrateAxis, Qt::AlignRight);
    m_listeners->attachAxis(m_time);
    m_listeners->attachAxis(m_listenersAxis);
    m_bitrate->attachAxis(m_time);
    m_bitrate->attachAxis(m_bitrateAxis);
    m_view = new QChartView(chart, this);
    m_view->setObjectName(QStringLiteral("streamChart"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(180);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    connect(history, &StreamHistory::sampled, this, &StreamCharts::add);
}

void StreamCharts::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        m_texts.retranslate();
    QWidget::changeEvent(event);
}

void StreamCharts::showStream(const QString &name)
{
    m_stream = name;
    QList<QPointF> listeners, bitrate;
    for (const StreamHistory::Sample &sample : m_history->samples(name)) {
        listeners.append(QPointF(double(sample.atMs), sample.listeners));
        bitrate.append(QPointF(double(sample.atMs), sample.bitrateKbps));
    }
    m_listeners->replace(listeners);
    m_bitrate->replace(bitrate);
    rescale();
}

int StreamCharts::points() const
{
    return int(m_listeners->count());
}

void StreamCharts::add(const QString &stream, const StreamHistory::Sample &sample)
{
    if (stream != m_stream)
        return;
    if (m_listeners->count() >= StreamHistory::kMaxSamples) {
        m_listeners->remove(0);
        m_bitrate->remove(0);
    }
    m_listeners->append(double(sample.atMs), sample.listeners);
    m_bitrate->append(double(sample.atMs), sample.bitrateKbps);
    rescale();
}

void StreamCharts::rescale()
{
    if (m_listeners->count() == 0)
        return;
    const qint64 first = qint64(m_listeners->at(0).x());
    const qint64 last = qint64(m_listeners->at(m_listeners->count() - 1).x());
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(first),
                     QDateTime::fromMSecsSinceEpoch(std::max(last, first + 60000)));
    double topListeners = 1, topBitrate = 1;
    for (const QPointF &p : m_listeners->points())
        topListeners = std::max(topListeners, p.y());
    for (const QPointF &p : m_bitrate->points())
        topBitrate = std::max(topBitrate, p.y());
    m_listenersAxis->setRange(0, std::ceil(topListeners * 1.2));
    m_bitrateAxis->setRange(0, std::ceil(topBitrate * 1.2));
}

} // namespace veza::console
