#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace veza::net {

// What a byte stream reports to the protocol spoken over it (WebSocket, HTTP).
class TransportHandler
{
public:
    virtual ~TransportHandler() = default;
    virtual void onReceived(QByteArrayView bytes) = 0;
    // The connection is over: the peer closed or reset it, a write failed, or a close this
    // side asked for has finished. Called once; nothing is called after it.
    virtual void onClosed() = 0;
};

// One accepted TCP connection, plain or TLS, on a network thread. Writes are queued and go out
// at the end of the current event-loop pass, so a burst of frames to one connection (a room's
// fan-out, a replay) costs one system call, not one per frame.
class Transport
{
public:
    virtual ~Transport() = default;

    void setHandler(TransportHandler *handler) { m_handler = handler; }

    virtual void write(QByteArrayView bytes) = 0;
    // Like write(), but tries the socket at once when nothing is queued: for bytes that are
    // already batched (a stream's chunk to thousands of listeners), which then need no copy.
    virtual void writeNow(QByteArrayView bytes) { write(bytes); }
    // Bytes accepted by write() and not yet handed to the kernel.
    virtual qsizetype pendingBytes() const = 0;
    // Of those, the bytes the kernel already refused once (the peer is not reading fast
    // enough), as opposed to bytes merely queued in this event-loop pass.
    virtual qsizetype backlogBytes() const = 0;
    // Sends what is queued, then ends the connection politely (half-close, then waits for the
    // peer's end so it never sees a reset before our last bytes). Reads are discarded meanwhile.
    virtual void closeAfterWrite() = 0;
    // Ends the connection now; queued bytes are dropped.
    virtual void abort() = 0;
    // Stops (or resumes) reading: the peer's bytes wait in the kernel and TCP slows the peer
    // down (a source sending faster than its audio is played out).
    virtual void setReadingPaused(bool paused) = 0;
    // Caps the kernel's send buffer for this connection (SO_SNDBUF): a low-latency listener
    // must see its own queue grow when the network is slow, not have a megabyte of audio
    // hidden in the kernel (loopback and fast links autotune it that large).
    virtual void setKernelSendBuffer(int bytes) = 0;
    virtual QString peerAddress() const = 0;

protected:
    TransportHandler *m_handler = nullptr;
};

} // namespace veza::net
