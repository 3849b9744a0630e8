#pragma once

#include "endpoints/streams/LiveSource.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <memory>
#include <optional>

class QSslSocket;

namespace veza::streaming {
class LiveStream;
class StreamHub;
} // namespace veza::streaming

namespace veza::cluster {

// One stream pulled from the instance that carries it, as an Icecast relay does: a plain
// listener's GET /live/{name} on that instance's ADVERTISE_URL, whose body becomes the source
// of a local live stream (marked relayed), so every rendition and /listen work here as for a
// local source. Back-pressure is a listener's: while the local pipeline is ahead the socket is
// not read (64 KiB at most buffered here), TCP pushes back, and the source's instance drops a
// relay that falls 256 KiB behind as it drops any slow listener. Ends when the far side ends,
// or when no local listener is left for `lingerMs`; the local stream ends with it. Main thread.
class RelayPull : public QObject
{
    Q_OBJECT

public:
    RelayPull(streaming::StreamHub &hub, QString name, qint64 streamId, QUrl from,
              QByteArray instanceId, int lingerMs, QObject *parent = nullptr);
    ~RelayPull() override;

    void start();
    const QString &name() const { return m_name; }

signals:
    // The stream is live in the hub: local listeners may attach.
    void live();
    // Over (before going live, or after): `why` for the log.
    void finished(const QString &why);

private:
    void onConnected();
    void onReadable();
    bool readHead();
    void readBody();
    void everySecond();
    void stop(const QString &why);

    streaming::StreamHub &m_hub;
    const QString m_name;
    const qint64 m_streamId;
    const QUrl m_from;
    const QByteArray m_instanceId;
    const int m_lingerMs;
    QSslSocket *m_socket;
    QByteArray m_head;
    std::shared_ptr<streaming::LiveStream> m_stream;
    std::optional<endpoints::LiveSource> m_source;
    bool m_paused = false;
    bool m_stopped = false;
    qint64 m_startedMs = 0;
    qint64 m_lonelySinceMs = 0; // 0: local listeners now
    QTimer m_clock;
};

} // namespace veza::cluster
