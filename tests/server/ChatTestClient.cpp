#include "ChatTestClient.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QTest>
#include <QUrlQuery>

namespace veza::testing {
namespace {
bool matches(const QJsonObject &frame, const QJsonObject &matching)
{
    for (auto it = matching.begin(); it != matching.end(); ++it) {
        if (frame.value(it.key()) != it.value())
            return false;
    }
    return true;
}
} // namespace

ChatTestClient::ChatTestClient()
    : m_socket(std::make_unique<QWebSocket>())
{
    QObject::connect(m_socket.get(), &QWebSocket::textMessageReceived, m_socket.get(),
                     [this](const QString &text) {
                         m_received.append(QJsonDocument::fromJson(text.toUtf8()).object());
                     });
}

ChatTestClient::~ChatTestClient() = default;

void ChatTestClient::open(quint16 port, const QByteArray &token, TokenIn where)
{
    QUrl url(QStringLiteral("ws://127.0.0.1:%1/chat").arg(port));
    if (where == TokenIn::Query && !token.isEmpty())
        url.setQuery(QStringLiteral("access_token=%1").arg(QString::fromLatin1(token)));
    QNetworkRequest request(url);
    if (where == TokenIn::Header && !token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    request.setRawHeader("Sec-WebSocket-Protocol", "veza.chat.v1");
    m_socket->open(request);
    if (where == TokenIn::Frame && !token.isEmpty()) {
        QObject::connect(m_socket.get(), &QWebSocket::connected, m_socket.get(), [this, token] {
            m_socket->sendTextMessage(QString::fromUtf8(
                QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("auth")},
                                          {QStringLiteral("id"), QStringLiteral("auth")},
                                          {QStringLiteral("token"), QString::fromLatin1(token)}})
                    .toJson(QJsonDocument::Compact)));
        });
    }
}

bool ChatTestClient::waitConnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket->state() == QAbstractSocket::ConnectedState; },
                           timeoutMs);
}

bool ChatTestClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor(
        [this] { return m_socket->state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

QString ChatTestClient::request(const QString &type, QJsonObject fields)
{
    const QString id = QString::number(m_nextId++);
    fields.insert(QStringLiteral("type"), type);
    fields.insert(QStringLiteral("id"), id);
    m_socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact)));
    return id;
}

QJsonObject ChatTestClient::answerTo(const QString &id, int timeoutMs)
{
    QJsonObject answer;
    (void)QTest::qWaitFor(
        [&] {
            for (const QJsonObject &frame : std::as_const(m_received)) {
                const QString type = frame.value(QStringLiteral("type")).toString();
                if ((type == u"ack" || type == u"error") &&
                    frame.value(QStringLiteral("id")).toString() == id) {
                    answer = frame;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return answer;
}

QJsonObject ChatTestClient::waitFor(const QString &type, const QJsonObject &matching, int timeoutMs)
{
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            for (const QJsonObject &frame : std::as_const(m_received)) {
                if (frame.value(QStringLiteral("type")).toString() == type &&
                    matches(frame, matching)) {
                    found = frame;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

int ChatTestClient::countOf(const QString &type) const
{
    return int(std::count_if(m_received.cbegin(), m_received.cend(), [&](const QJsonObject &frame) {
        return frame.value(QStringLiteral("type")).toString() == type;
    }));
}

} // namespace veza::testing
