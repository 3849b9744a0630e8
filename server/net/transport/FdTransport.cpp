#include "net/transport/FdTransport.h"

#include "net/transport/FlushQueue.h"

#include <QHostAddress>
#include <QSocketNotifier>
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace veza::net {
namespace {

constexpr qsizetype kReadChunk = 64 * 1024;
// Reads per readiness wake-up: one busy client must not starve the others on this thread.
constexpr int kReadsPerWake = 4;
// A partly sent buffer is compacted once this much of its front is gone.
constexpr qsizetype kCompactAfter = 64 * 1024;
// Queued beyond this within one pass, bytes go out at once instead of at the end of the pass:
// batching has paid off by then, and a long pass must not pile up memory per connection.
constexpr qsizetype kWriteThroughBytes = 64 * 1024;

char *threadReadBuffer()
{
    thread_local char buffer[kReadChunk];
    return buffer;
}

} // namespace

FdTransport::FdTransport(int fd, FlushQueue &flushQueue)
    : m_fd(fd)
    , m_flushQueue(flushQueue)
    , m_readNotifier(new QSocketNotifier(fd, QSocketNotifier::Read, this))
{
    connect(m_readNotifier, &QSocketNotifier::activated, this, &FdTransport::onReadable);
}

FdTransport::~FdTransport()
{
    if (m_flushScheduled)
        m_flushQueue.cancel(this);
    m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    if (m_fd >= 0)
        ::close(m_fd);
}

void FdTransport::write(QByteArrayView bytes)
{
    if (m_state != State::Open || bytes.isEmpty())
        return;
    m_out.append(bytes.data(), bytes.size());
    const bool waitingForKernel = m_writeNotifier && m_writeNotifier->isEnabled();
    if (!waitingForKernel && pendingBytes() >= kWriteThroughBytes) {
        sendPending();
        return;
    }
    if (!m_flushScheduled && !waitingForKernel) {
        m_flushScheduled = true;
        m_flushQueue.schedule(this);
    }
}

void FdTransport::writeNow(QByteArrayView bytes)
{
    const bool waitingForKernel = m_writeNotifier && m_writeNotifier->isEnabled();
    if (m_state != State::Open || waitingForKernel || pendingBytes() > 0 || bytes.isEmpty())
        return write(bytes);
    ssize_t sent;
    do {
        sent = ::send(m_fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        finish(); // the peer is gone
        return;
    }
    const qsizetype done = sent > 0 ? qsizetype(sent) : 0;
    if (done < bytes.size()) {
        m_out.append(bytes.data() + done, bytes.size() - done);
        sendPending(); // meets EAGAIN again and waits for the socket to drain
    }
}

void FdTransport::flush()
{
    m_flushScheduled = false;
    sendPending();
}

qsizetype FdTransport::backlogBytes() const
{
    // Once the kernel has pushed back, everything queued waits on the peer.
    return m_writeNotifier && m_writeNotifier->isEnabled() ? pendingBytes() : 0;
}

void FdTransport::closeAfterWrite()
{
    if (m_state != State::Open)
        return;
    m_state = State::Closing;
    if (!m_flushScheduled && !(m_writeNotifier && m_writeNotifier->isEnabled()))
        halfCloseWhenSent();
}

void FdTransport::abort()
{
    finish();
}

QString FdTransport::peerAddress() const
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (m_fd < 0 || ::getpeername(m_fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    QHostAddress host(reinterpret_cast<const sockaddr *>(&address));
    return host.toString();
}

void FdTransport::setReadingPaused(bool paused)
{
    m_readingPaused = paused;
    if (m_state != State::Closed)
        m_readNotifier->setEnabled(!paused);
}

void FdTransport::setKernelSendBuffer(int bytes)
{
    ::setsockopt(m_fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
}

void FdTransport::onReadable()
{
    char *buffer = threadReadBuffer();
    for (int i = 0; i < kReadsPerWake && m_state != State::Closed && !m_readingPaused; ++i) {
        const ssize_t received = ::recv(m_fd, buffer, kReadChunk, 0);
        if (received > 0) {
            // While closing, whatever the peer still sends is read and dropped.
            if (m_state == State::Open && m_handler)
                m_handler->onReceived(QByteArrayView(buffer, received));
            if (received < kReadChunk)
                return;
            continue;
        }
        if (received < 0 && errno == EINTR)
            continue;
        if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        finish(); // end of stream or a reset
        return;
    }
}

void FdTransport::onWritable()
{
    sendPending();
}

void FdTransport::sendPending()
{
    while (m_state != State::Closed && m_outOffset < m_out.size()) {
        const ssize_t sent = ::send(m_fd, m_out.constData() + m_outOffset,
                                    size_t(m_out.size() - m_outOffset), MSG_NOSIGNAL);
        if (sent > 0) {
            m_outOffset += sent;
            continue;
        }
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!m_writeNotifier) {
                m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
                connect(m_writeNotifier, &QSocketNotifier::activated, this,
                        &FdTransport::onWritable);
            }
            m_writeNotifier->setEnabled(true);
            if (m_outOffset >= kCompactAfter) {
                m_out.remove(0, m_outOffset);
                m_outOffset = 0;
            }
            return;
        }
        finish(); // the peer is gone
        return;
    }
    if (m_state == State::Closed)
        return;
    // All sent: an idle connection holds no outbound buffer at all.
    m_out.clear();
    m_outOffset = 0;
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    halfCloseWhenSent();
}

void FdTransport::halfCloseWhenSent()
{
    if (m_state != State::Closing || pendingBytes() > 0)
        return;
    // Our side is done; the peer's end of stream (or the owner's timeout) finishes the close.
    ::shutdown(m_fd, SHUT_WR);
    m_state = State::HalfClosed;
}

void FdTransport::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
    m_out.clear();
    m_outOffset = 0;
    if (m_handler)
        m_handler->onClosed();
}

} // namespace veza::net
