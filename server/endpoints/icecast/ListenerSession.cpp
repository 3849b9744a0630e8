#include "endpoints/icecast/ListenerSession.h"

#include "endpoints/icecast/ListenerFanout.h"

#include <QDateTime>
#include <algorithm>

namespace veza::endpoints {

ListenerSession::ListenerSession(std::unique_ptr<net::Transport> transport, ListenerFanout *fanout,
                                 std::shared_ptr<streaming::LiveStream> stream,
                                 streaming::LiveStream::Attachment attachment, bool icy,
                                 QByteArray head, streaming::ListenerLog *log,
                                 streaming::ListenerRecord visit,
                                 streaming::ListenerRoster::Membership membership)
    : TakenConnection(std::move(transport))
    , m_fanout(fanout)
    , m_stream(std::move(stream))
    , m_attachment(std::move(attachment))
    , m_head(std::move(head))
    , m_log(log)
    , m_visit(std::move(visit))
    , m_membership(std::move(membership))
{
    if (icy)
        m_icy.emplace();
    if (m_stream) {
        m_attached = true;
        m_fanout->add(this);
    }
}

ListenerSession::~ListenerSession()
{
    leave();
    // Deleted while its connection was still open: the server is going away.
    report(streaming::ListenerEndReason::Shutdown);
}

void ListenerSession::start(QByteArray)
{
    transport().write(std::exchange(m_head, {}));
    if (!m_stream) {
        closeAfterWrite();
        return;
    }
    const QByteArray burst =
        std::exchange(m_attachment.header, {}) + std::exchange(m_attachment.burst, {});
    const qint64 written = write(burst, m_stream->title());
    m_stream->addBytesOut(written);
}

void ListenerSession::closed()
{
    leave();
    report(streaming::ListenerEndReason::Left);
}

qint64 ListenerSession::deliver(const QByteArray &chunk, qint64 endOffset, const QByteArray &title)
{
    if (endOffset <= m_attachment.offset || isClosed())
        return 0; // already in the burst
    if (transport().backlogBytes() > maxBacklogBytes)
        return -1;
    // A listener that joined while the chunk was being gathered has its first part in its
    // burst already.
    const qint64 chunkStart = endOffset - chunk.size();
    const qsizetype skip = qsizetype(std::max<qint64>(0, m_attachment.offset - chunkStart));
    return write(QByteArrayView(chunk).sliced(skip), title);
}

qint64 ListenerSession::write(QByteArrayView audio, const QByteArray &title)
{
    if (audio.isEmpty())
        return 0;
    if (!m_icy) {
        transport().writeNow(audio);
        m_visit.bytes += audio.size();
        m_membership.addBytes(audio.size());
        return audio.size();
    }
    QByteArray out;
    out.reserve(audio.size() + 64);
    m_icy->feed(audio, title, out);
    transport().writeNow(out);
    m_visit.bytes += out.size();
    m_membership.addBytes(out.size());
    return out.size();
}

void ListenerSession::drop()
{
    leave();
    report(streaming::ListenerEndReason::Slow);
    transport().abort();
}

void ListenerSession::finish()
{
    leave();
    // Now, not when the client closes its end (which it may never do): nothing more is
    // written, so the bytes are final.
    report(m_draining ? streaming::ListenerEndReason::Shutdown
                      : streaming::ListenerEndReason::StreamEnded);
    closeAfterWrite();
}

void ListenerSession::kick()
{
    leave();
    report(streaming::ListenerEndReason::Kicked);
    transport().abort();
}

// Once: the first end of the session (slow, stream ended, client gone, server gone) says why.
void ListenerSession::report(streaming::ListenerEndReason reason)
{
    if (m_reported || !m_log || !m_stream)
        return;
    m_reported = true;
    m_visit.endedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_visit.endReason = reason;
    m_log->record(std::move(m_visit));
}

void ListenerSession::leave()
{
    if (!m_attached)
        return;
    m_attached = false;
    m_membership.leave();
    m_fanout->remove(this);
    m_stream->detachListener(m_fanout);
}

} // namespace veza::endpoints
