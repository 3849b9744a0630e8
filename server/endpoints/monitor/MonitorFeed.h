#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <vector>

namespace veza::endpoints {

// MonitorFeed: the events /monitor pushes as they happen (moderation actions, new reports,
// sources connecting and dropping, listeners and sources refused at a limit), kept as the last
// kCapacity JSON frames with a sequence number each. Every /monitor session reads what follows
// the last one it sent; one that falls a whole ring behind learns how many it lost.
//
// Threads: publish() and since() are thread-safe (one short lock, nothing slow under it): the
// chat service, the stream hub and the network threads publish; sessions read on their
// network threads.
class MonitorFeed
{
public:
    static constexpr int kCapacity = 1024;

    // `event` must carry its "type"; "at" (ms since the epoch) is added when missing.
    void publish(QJsonObject event);
    // A frame that is already JSON (a chat event frame), as it is.
    void publishFrame(const QByteArray &frame);

    // The sequence number of the latest event (0: none yet): where a new reader starts.
    qint64 lastSeq() const;
    // The frames after `afterSeq`, oldest first; `afterSeq` becomes the latest one's number and
    // `lost` counts those overwritten before they were read.
    QList<QByteArray> since(qint64 &afterSeq, qint64 *lost) const;

private:
    mutable QMutex m_mutex;
    std::vector<QByteArray> m_ring = std::vector<QByteArray>(kCapacity);
    qint64 m_lastSeq = 0; // the ring holds seqs (m_lastSeq - kCapacity, m_lastSeq]
};

} // namespace veza::endpoints
