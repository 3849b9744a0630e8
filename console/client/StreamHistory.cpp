#include "StreamHistory.h"

#include <QJsonArray>

namespace veza::console {

void StreamHistory::applyStats(const QJsonObject &frame)
{
    const qint64 at = frame.value(u"at").toInteger();
    for (const QJsonValue &value : frame.value(u"streams").toArray()) {
        const QJsonObject entry = value.toObject();
        const QString name = entry.value(u"name").toString();
        Series &series = m_series[name];
        const qint64 startedAt = entry.value(u"started_at").toInteger();
        if (series.startedAtMs != startedAt) { // a new broadcast: a new series
            series.startedAtMs = startedAt;
            series.samples.clear();
        }
        Sample sample;
        sample.atMs = at;
        sample.listeners = entry.value(u"listeners").toInt();
        sample.bitrateKbps = entry.value(u"ingest_bitrate_bps").toDouble() / 1000;
        const QJsonValue loudness = entry.value(u"audio")[u"levels"][u"loudness_lufs"];
        sample.loudnessLufs = loudness.isDouble() ? loudness.toDouble() : -120;
        series.samples.append(sample);
        if (series.samples.size() > kMaxSamples)
            series.samples.removeFirst();
        Q_EMIT sampled(name, sample);
    }
    // A stream that stopped keeps its series until it comes back or the session ends: the
    // panel still shows how its last broadcast went.
}

void StreamHistory::clear()
{
    m_series.clear();
}

} // namespace veza::console
