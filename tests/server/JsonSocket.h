#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QUrl>
#include <QWebSocket>

namespace veza::testing {

// A real QWebSocket client for the streaming endpoints' tests: keeps every JSON text frame it
// receives (with its arrival time) and can wait for one by type. Test main thread.
class JsonSocket
{
public:
    JsonSocket();
    virtual ~JsonSocket() = default;
    JsonSocket(const JsonSocket &) = delete;
    JsonSocket &operator=(const JsonSocket &) = delete;

    // `bearer` non-empty: sent as `Authorization: Bearer ...`.
    void open(const QUrl &url, const QByteArray &bearer = {});
    void send(const QJsonObject &frame);
    QWebSocket &socket() { return m_socket; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    // The first frame from index `from` on of `type` (and of `stream`, when given), waiting
    // up to `timeoutMs` for it; empty on timeout.
    QJsonObject waitFor(const QString &type, const QString &stream = {}, int timeoutMs = 5000,
                        qsizetype from = 0);
    // The latest frame of `type` received so far; empty when none.
    QJsonObject lastOf(const QString &type) const;
    // How many frames of `type` arrived from index `from` on.
    int countOf(const QString &type, qsizetype from = 0) const;
    // The close code the server sent, once the connection is over; -1 on timeout.
    int waitClosed(int timeoutMs = 5000);
    bool isClosed() const { return closedAtMs >= 0; }

    QList<QJsonObject> frames;
    QList<qint64> arrivals; // ms since construction, per frame
    qint64 closedAtMs = -1;

protected:
    QElapsedTimer m_clock;

private:
    QWebSocket m_socket;
};

} // namespace veza::testing
