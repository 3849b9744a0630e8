#pragma once

#include "endpoints/streams/LiveSource.h"
#include "net/http/TakenConnection.h"

#include <memory>

namespace veza::streaming {
class LiveStream;
class StreamHub;
} // namespace veza::streaming

namespace veza::endpoints {

// An Icecast source after PUT/SOURCE /live/{name} was accepted: writes the acknowledgement
// (`100 Continue` or `HTTP/1.0 200 OK`, as Icecast does), then feeds every byte received to its
// stream (LiveSource: published, decoded, paced) until the connection ends, which starts the
// stream's grace period. A source silent for 30 s, one whose audio is unusable, or one sending
// more than 8 MiB in a second (nothing like audio) is cut off; on a graceful shutdown it is
// closed politely instead. Network thread.
class SourceSession final : public net::http::TakenConnection
{
public:
    SourceSession(std::unique_ptr<net::Transport> transport, streaming::StreamHub &hub,
                  std::shared_ptr<streaming::LiveStream> stream, QByteArray acknowledgement);

    void start(QByteArray buffered) override;
    void tick(qint64 nowMs) override;
    // The server is shutting down: nothing more is read; what was received is played out
    // before the stream ends (StreamHub::drainStep), and the source sees its connection closed
    // in good order (our end of stream, not a reset).
    void drain() override;

private:
    void onReceived(QByteArrayView bytes) override;
    void closed() override { m_source.leave(); }
    void cutOff();

    LiveSource m_source;
    QString m_name;
    QByteArray m_acknowledgement;
    qint64 m_windowStartMs;
    qint64 m_windowBytes = 0;
};

} // namespace veza::endpoints
