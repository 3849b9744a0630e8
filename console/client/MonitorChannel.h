#pragma once

#include "ChannelStatus.h"
#include "ReconnectBackoff.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace veza::console {

// MonitorChannel: the server's /monitor feed (docs/protocol.md) as a moderator or admin: the
// snapshot of live streams, the once-a-second stats, the events as they happen and the levels
// of one stream ten times a second. Its state is the Monitor channel's: a refused token
// (4401) or role (4403) stops it with the server's reason; anything else (the server shutting
// down, the network) reconnects with backoff and jitter, and the fresh snapshot brings the
// views back in step. A level subscription is renewed after a reconnection. GUI thread.
class MonitorChannel : public QObject
{
    Q_OBJECT

public:
    explicit MonitorChannel(ConnectionStatus *status, QObject *parent = nullptr);
    ~MonitorChannel() override;

    void open(const QUrl &url, const QByteArray &token, const QSslConfiguration &tls);
    void close();
    // One stream's levels at 10 Hz (empty: none).
    void subscribeLevels(const QString &stream);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

Q_SIGNALS:
    void snapshot(const QJsonArray &streams);
    void stats(const QJsonObject &frame);
    void levels(const QString &stream, const QJsonObject &levels);
    // Every other frame: stream_started, stream_stopped, listeners, source_connected,
    // source_dropped, refused, moderation, report, events_lost...
    void event(const QJsonObject &frame);

private:
    void connectNow();
    void onText(const QString &text);
    void onClosed();

    ConnectionStatus *m_status;
    QWebSocket m_socket;
    QUrl m_url;
    QByteArray m_token;
    QSslConfiguration m_tls;
    ReconnectBackoff m_backoff;
    QTimer m_retry;
    QString m_levelsStream;
    bool m_wanted = false; // open() called and not closed or refused since
};

} // namespace veza::console
