#include "net/transport/QtSocketTransport.h"

#include <QTcpSocket>

namespace veza::net {

QtSocketTransport::QtSocketTransport(QTcpSocket *socket)
    : m_socket(socket)
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &QtSocketTransport::deliverReceived);
    connect(m_socket, &QTcpSocket::disconnected, this, &QtSocketTransport::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            finish();
    });
}

void QtSocketTransport::deliverReceived()
{
    if (m_readingPaused)
        return; // kept in the socket's buffer, which is bounded while paused
    const QByteArray bytes = m_socket->readAll();
    if (!m_closing && !m_finished && m_handler)
        m_handler->onReceived(bytes);
}

void QtSocketTransport::setReadingPaused(bool paused)
{
    m_readingPaused = paused;
    // While paused, Qt stops reading from the kernel once this much waits decrypted.
    m_socket->setReadBufferSize(paused ? 64 * 1024 : 0);
    if (!paused && m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &QtSocketTransport::deliverReceived, Qt::QueuedConnection);
}

void QtSocketTransport::setKernelSendBuffer(int bytes)
{
    m_socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, bytes);
}

QtSocketTransport::~QtSocketTransport()
{
    m_socket->disconnect(this);
}

void QtSocketTransport::write(QByteArrayView bytes)
{
    if (!m_closing && !m_finished)
        m_socket->write(bytes.data(), bytes.size());
}

qsizetype QtSocketTransport::pendingBytes() const
{
    return m_socket->bytesToWrite();
}

void QtSocketTransport::closeAfterWrite()
{
    if (m_closing || m_finished)
        return;
    m_closing = true;
    m_socket->disconnectFromHost(); // sends what is buffered first
}

void QtSocketTransport::abort()
{
    m_socket->abort();
    finish();
}

QString QtSocketTransport::peerAddress() const
{
    return m_socket->peerAddress().toString();
}

void QtSocketTransport::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_handler)
        m_handler->onClosed();
}

} // namespace veza::net
