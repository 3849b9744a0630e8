#include "endpoints/monitor/MonitorFeed.h"

#include <QDateTime>
#include <QJsonDocument>
#include <algorithm>

namespace veza::endpoints {

void MonitorFeed::publish(QJsonObject event)
{
    if (!event.contains(QLatin1StringView("at")))
        event.insert(QStringLiteral("at"), QDateTime::currentMSecsSinceEpoch());
    publishFrame(QJsonDocument(event).toJson(QJsonDocument::Compact));
}

void MonitorFeed::publishFrame(const QByteArray &frame)
{
    QMutexLocker lock(&m_mutex);
    ++m_lastSeq;
    m_ring[size_t(m_lastSeq % kCapacity)] = frame;
}

qint64 MonitorFeed::lastSeq() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastSeq;
}

QList<QByteArray> MonitorFeed::since(qint64 &afterSeq, qint64 *lost) const
{
    QList<QByteArray> frames;
    QMutexLocker lock(&m_mutex);
    const qint64 oldest = std::max<qint64>(1, m_lastSeq - kCapacity + 1);
    *lost = std::max<qint64>(0, oldest - afterSeq - 1);
    for (qint64 seq = std::max(afterSeq + 1, oldest); seq <= m_lastSeq; ++seq)
        frames.append(m_ring[size_t(seq % kCapacity)]); // implicitly shared: no copy
    afterSeq = m_lastSeq;
    return frames;
}

} // namespace veza::endpoints
