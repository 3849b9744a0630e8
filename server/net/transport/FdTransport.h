#pragma once

#include "net/transport/Transport.h"

#include <QObject>

class QSocketNotifier;

namespace veza::net {

class FlushQueue;

// A plain TCP connection driven straight from its non-blocking descriptor: no QTcpSocket, no
// per-connection read buffer (reads land in one buffer per thread), and an outbound buffer
// that exists only while bytes wait. That keeps an idle connection to a few hundred bytes of
// user-space memory, which is what lets one process hold its ~19,900 descriptors' worth of
// WebSockets. Owns (and closes) the descriptor.
class FdTransport final : public QObject, public Transport
{
    Q_OBJECT

public:
    FdTransport(int fd, FlushQueue &flushQueue);
    ~FdTransport() override;

    void write(QByteArrayView bytes) override;
    void writeNow(QByteArrayView bytes) override;
    qsizetype pendingBytes() const override { return m_out.size() - m_outOffset; }
    qsizetype backlogBytes() const override;
    void closeAfterWrite() override;
    void abort() override;
    void setReadingPaused(bool paused) override;
    void setKernelSendBuffer(int bytes) override;
    QString peerAddress() const override;

    void flush(); // called by the FlushQueue at the end of the pass

private:
    enum class State : quint8 { Open, Closing, HalfClosed, Closed };

    void onReadable();
    void onWritable();
    void sendPending();
    void halfCloseWhenSent();
    void finish();

    int m_fd;
    State m_state = State::Open;
    bool m_flushScheduled = false;
    bool m_readingPaused = false;
    FlushQueue &m_flushQueue;
    QSocketNotifier *m_readNotifier;
    QSocketNotifier *m_writeNotifier = nullptr; // created the first time the kernel pushes back
    QByteArray m_out;
    qsizetype m_outOffset = 0;
};

} // namespace veza::net
