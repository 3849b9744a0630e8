#include "JsonSocket.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QTest>

namespace veza::testing {

JsonSocket::JsonSocket()
{
    m_clock.start();
    QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                     [this](const QString &text) {
                         frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
                         arrivals.append(m_clock.elapsed());
                     });
    QObject::connect(&m_socket, &QWebSocket::disconnected, &m_socket,
                     [this] { closedAtMs = m_clock.elapsed(); });
}

void JsonSocket::open(const QUrl &url, const QByteArray &bearer)
{
    QNetworkRequest request(url);
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    m_socket.open(request);
}

void JsonSocket::send(const QJsonObject &frame)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson()));
}

QJsonObject JsonSocket::lastOf(const QString &type) const
{
    for (qsizetype i = frames.size() - 1; i >= 0; --i) {
        if (frames.at(i).value(QStringLiteral("type")).toString() == type)
            return frames.at(i);
    }
    return {};
}

int JsonSocket::countOf(const QString &type, qsizetype from) const
{
    int count = 0;
    for (qsizetype i = from; i < frames.size(); ++i)
        count += frames.at(i).value(QStringLiteral("type")).toString() == type ? 1 : 0;
    return count;
}

QJsonObject JsonSocket::waitFor(const QString &type, const QString &stream, int timeoutMs,
                                qsizetype from)
{
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = from; i < frames.size(); ++i) {
                const QJsonObject &frame = frames.at(i);
                if (frame.value(QStringLiteral("type")).toString() == type &&
                    (stream.isEmpty() ||
                     frame.value(QStringLiteral("stream")).toString() == stream)) {
                    found = frame;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

int JsonSocket::waitClosed(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                         timeoutMs))
        return -1;
    return int(m_socket.closeCode());
}

} // namespace veza::testing
