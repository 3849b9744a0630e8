#pragma once

#include "ReconnectingSocket.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

namespace veza::console {

// MonitorChannel: the server's /monitor feed (docs/protocol.md) as a moderator or admin: the
// snapshot of live streams, the once-a-second stats, the events as they happen and the levels
// of one stream ten times a second. It is the Monitor channel: connected once the snapshot
// came; kept open by its ReconnectingSocket, the fresh snapshot after a reconnection bringing
// the views back in step. A level subscription is renewed after a reconnection. GUI thread.
class MonitorChannel : public QObject
{
    Q_OBJECT

public:
    explicit MonitorChannel(ConnectionStatus *status, QObject *parent = nullptr);

    void open(const QUrl &url, const QByteArray &token, const QSslConfiguration &tls);
    void close();
    // One stream's levels at 10 Hz (empty: none).
    void subscribeLevels(const QString &stream);
    bool isOpen() const { return m_link.isOpen(); }

Q_SIGNALS:
    void snapshot(const QJsonArray &streams);
    void stats(const QJsonObject &frame);
    void levels(const QString &stream, const QJsonObject &levels);
    // Every other frame: stream_started, stream_stopped, listeners, source_connected,
    // source_dropped, refused, moderation, report, events_lost...
    void event(const QJsonObject &frame);

private:
    void onText(const QString &text);

    ConnectionStatus *m_status;
    ReconnectingSocket m_link;
    QString m_levelsStream;
};

} // namespace veza::console
