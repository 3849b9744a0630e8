#pragma once

#include "net/http/TakenConnection.h"

#include <QTimer>
#include <memory>

namespace veza::streaming {
class LiveStream;
class StreamHub;
} // namespace veza::streaming

namespace veza::net {

// An Icecast source after PUT/SOURCE /live/{name} was accepted: writes the acknowledgement
// (`100 Continue` or `HTTP/1.0 200 OK`, as Icecast does), then publishes every byte received
// into its LiveStream until the connection ends, which starts the stream's grace period. A
// source silent for 30 s, or sending more than 8 MiB in a second (nothing like audio), is
// cut off; one sending faster than its audio plays is paced (not read while the audio
// pipeline lags). Network thread.
class SourceSession final : public http::TakenConnection
{
public:
    SourceSession(std::unique_ptr<Transport> transport, streaming::StreamHub &hub,
                  std::shared_ptr<streaming::LiveStream> stream, QByteArray acknowledgement);
    ~SourceSession() override;

    void start(QByteArray buffered) override;
    void tick(qint64 nowMs) override;

private:
    void onReceived(QByteArrayView bytes) override;
    void closed() override { leave(); }
    void leave();

    streaming::StreamHub &m_hub;
    std::shared_ptr<streaming::LiveStream> m_stream;
    QByteArray m_acknowledgement;
    qint64 m_lastReceivedMs;
    qint64 m_windowStartMs;
    qint64 m_windowBytes = 0;
    // Sends listeners the tail that publish() batches up when the source pauses.
    QTimer m_trailingFlush;
    // While reading is paused (the source is ahead of its audio), checks when to resume.
    QTimer m_resumeCheck;
};

} // namespace veza::net
