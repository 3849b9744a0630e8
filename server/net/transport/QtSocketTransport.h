#pragma once

#include "net/transport/Transport.h"

#include <QObject>

class QTcpSocket;

namespace veza::net {

// A connection whose bytes pass through a QTcpSocket: used for TLS, where QSslSocket does the
// encryption. Qt buffers and flushes writes itself (once per event-loop pass). Takes
// ownership of the socket.
class QtSocketTransport final : public QObject, public Transport
{
    Q_OBJECT

public:
    explicit QtSocketTransport(QTcpSocket *socket);
    ~QtSocketTransport() override;

    void write(QByteArrayView bytes) override;
    qsizetype pendingBytes() const override;
    qsizetype backlogBytes() const override { return pendingBytes(); }
    void closeAfterWrite() override;
    void abort() override;
    void setReadingPaused(bool paused) override;
    void setKernelSendBuffer(int bytes) override;
    QString peerAddress() const override;

private:
    void deliverReceived();
    void finish();

    QTcpSocket *m_socket;
    bool m_closing = false;
    bool m_finished = false;
    bool m_readingPaused = false;
};

} // namespace veza::net
