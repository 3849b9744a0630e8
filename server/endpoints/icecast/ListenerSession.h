#pragma once

#include "net/http/TakenConnection.h"
#include "streaming/IcyInterleaver.h"
#include "streaming/ListenerLog.h"
#include "streaming/ListenerRoster.h"
#include "streaming/LiveStream.h"

#include <optional>

namespace veza::endpoints {

class ListenerFanout;

// One HTTP listener of a live stream, after GET /live/{name}: the response head, the burst,
// then every chunk the source publishes, with ICY metadata blocks when asked for. Never reads
// (whatever the client sends is dropped). A listener with more than maxBacklogBytes waiting
// for its socket is dropped by the fanout, so it never grows memory. When it ends, one record
// of the visit (time, bytes, why it ended) goes to the ListenerLog. Network thread.
class ListenerSession final : public net::http::TakenConnection
{
public:
    static constexpr qsizetype maxBacklogBytes = 256 * 1024;

    // `stream` null: a HEAD answer (the head, then the end). `log` (may be null) gets `visit`
    // completed with the end time, the bytes sent and the end reason, once. `membership`: its
    // place in the roster of listeners connected now, left when the session ends.
    ListenerSession(std::unique_ptr<net::Transport> transport, ListenerFanout *fanout,
                    std::shared_ptr<streaming::LiveStream> stream,
                    streaming::LiveStream::Attachment attachment, bool icy, QByteArray head,
                    streaming::ListenerLog *log = nullptr, streaming::ListenerRecord visit = {},
                    streaming::ListenerRoster::Membership membership = {});
    ~ListenerSession() override;

    void start(QByteArray buffered) override;

    // Writes what follows the listener's burst; the bytes written, or -1 when the listener is
    // too far behind (the caller then drops it).
    qint64 deliver(const QByteArray &chunk, qint64 endOffset, const QByteArray &title);
    void drop();   // too slow: ends now
    void finish(); // the stream ended: ends once the queued bytes are sent
    void kick();   // its stream's owner, an admin or a moderator said so: ends now
    // The server is shutting down: the listener hears its stream to the end (the hub ends the
    // streams once their audio is out), and that end is recorded as "shutdown".
    void drain() override { m_draining = true; }

    qint64 rosterId() const { return m_membership.id(); }
    const streaming::LiveStream *stream() const { return m_stream.get(); }
    size_t slot() const { return m_slot; }
    void setSlot(size_t slot) { m_slot = slot; }

private:
    void onReceived(QByteArrayView) override {}
    void closed() override;
    qint64 write(QByteArrayView audio, const QByteArray &title);
    void leave();
    // The visit's record, to the log (once).
    void report(streaming::ListenerEndReason reason);

    ListenerFanout *m_fanout;
    std::shared_ptr<streaming::LiveStream> m_stream;
    streaming::LiveStream::Attachment m_attachment;
    std::optional<streaming::IcyInterleaver> m_icy;
    QByteArray m_head;
    size_t m_slot = 0;
    bool m_attached = false;
    bool m_draining = false;
    streaming::ListenerLog *m_log;
    streaming::ListenerRecord m_visit;
    bool m_reported = false;
    streaming::ListenerRoster::Membership m_membership;
};

} // namespace veza::endpoints
