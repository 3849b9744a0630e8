#pragma once

#include <QJsonObject>
#include <QList>
#include <QWebSocket>
#include <memory>

namespace veza::testing {

// A chat client for tests: a real QWebSocket on /chat, every received frame decoded and kept,
// requests numbered so their answers can be found. Test main thread.
class ChatTestClient
{
public:
    enum class TokenIn { Header, Query, Frame };

    ChatTestClient();
    ~ChatTestClient();

    void open(quint16 port, const QByteArray &token, TokenIn where = TokenIn::Header);
    bool waitConnected(int timeoutMs = 5000);
    bool waitClosed(int timeoutMs = 5000);
    QWebSocket &socket() { return *m_socket; }

    // Sends {"type":type,"id":<next>,...fields}; returns the id used.
    QString request(const QString &type, QJsonObject fields = {});
    void sendRaw(const QString &text) { m_socket->sendTextMessage(text); }

    // The ack or error answering `id`, waiting for it; empty object on timeout.
    QJsonObject answerTo(const QString &id, int timeoutMs = 5000);
    // The first received frame of `type` matching `predicate` fields; waits for it.
    QJsonObject waitFor(const QString &type, const QJsonObject &matching = {},
                        int timeoutMs = 5000);
    QList<QJsonObject> received() const { return m_received; }
    int countOf(const QString &type) const;

private:
    std::unique_ptr<QWebSocket> m_socket;
    QList<QJsonObject> m_received;
    int m_nextId = 1;
};

} // namespace veza::testing
