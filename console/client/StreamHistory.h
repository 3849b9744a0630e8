#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>

namespace veza::console {

// StreamHistory: each live stream's figures over the console's session, one sample per stats
// frame of /monitor (about once a second): listeners, the bitrate received and the input's
// short-term loudness, for the stream panel's charts. A broadcast that restarts starts a new
// series. Bounded: the last kMaxSamples per stream (four hours). GUI thread.
class StreamHistory : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxSamples = 4 * 3600;

    struct Sample
    {
        qint64 atMs = 0;
        int listeners = 0;
        double bitrateKbps = 0;
        double loudnessLufs = -120;
    };

    using QObject::QObject;

    void applyStats(const QJsonObject &frame);
    void clear();
    QList<Sample> samples(const QString &stream) const { return m_series.value(stream).samples; }

Q_SIGNALS:
    void sampled(const QString &stream, const veza::console::StreamHistory::Sample &sample);

private:
    struct Series
    {
        qint64 startedAtMs = 0;
        QList<Sample> samples;
    };
    QHash<QString, Series> m_series;
};

} // namespace veza::console
