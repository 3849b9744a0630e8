#include "ChatWriters.h"

#include "ServerProcess.h"

#include <QJsonDocument>
#include <QTest>

namespace veza::testing {

struct ChatWriters::Writer
{
    QString user;
    QString room;
    ChatTestClient client;
    QHash<QString, QString> inFlight; // request id -> body
    QHash<qint64, QString> acknowledged;
    int sent = 0;
};

ChatWriters::ChatWriters(Options options)
    : m_options(std::move(options))
{
}

ChatWriters::~ChatWriters() = default;

bool ChatWriters::connect(ServerProcess &server)
{
    for (int i = 0; i < m_options.clients; ++i) {
        auto writer = std::make_unique<Writer>();
        writer->user = QStringLiteral("writer-%1").arg(i);
        writer->room = m_options.roomPrefix + QString::number(i);
        writer->client.open(server.webSocketPort(), server.token(writer->user));
        if (!writer->client.waitConnected()) {
            m_errors << QStringLiteral("%1 cannot connect").arg(writer->user);
            return false;
        }
        const QJsonObject joined = writer->client.answerTo(writer->client.request(
            QStringLiteral("join"), {{QStringLiteral("room"), writer->room}}));
        if (joined.value(QStringLiteral("type")).toString() != u"ack") {
            m_errors << QStringLiteral("%1 cannot join %2: %3")
                            .arg(writer->user, writer->room,
                                 QString::fromUtf8(QJsonDocument(joined).toJson()));
            return false;
        }
        Writer *raw = writer.get();
        QObject::connect(&raw->client.socket(), &QWebSocket::textMessageReceived,
                         &raw->client.socket(),
                         [this, raw](const QString &text) { onFrame(*raw, text); });
        m_writers.push_back(std::move(writer));
    }
    return true;
}

void ChatWriters::start()
{
    m_running = true;
    for (auto &writer : m_writers) {
        while (writer->inFlight.size() < m_options.window)
            sendNext(*writer);
    }
}

bool ChatWriters::stop(int timeoutMs)
{
    m_running = false;
    return QTest::qWaitFor(
        [this] {
            return std::all_of(m_writers.cbegin(), m_writers.cend(),
                               [](const auto &writer) { return writer->inFlight.isEmpty(); });
        },
        timeoutMs);
}

void ChatWriters::sendNext(Writer &writer)
{
    const QString clientMessageId = QStringLiteral("%1-%2").arg(writer.user).arg(++writer.sent);
    const QString body = QString(clientMessageId + u' ').leftJustified(m_options.bodyBytes, u'.');
    const QString id = writer.client.request(QStringLiteral("send"),
                                             {{QStringLiteral("room"), writer.room},
                                              {QStringLiteral("body"), body},
                                              {QStringLiteral("client_msg_id"), clientMessageId}});
    writer.inFlight.insert(id, body);
}

void ChatWriters::onFrame(Writer &writer, const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(QStringLiteral("type")).toString();
    const QString id = frame.value(QStringLiteral("id")).toString();
    if ((type != u"ack" && type != u"error") || !writer.inFlight.contains(id))
        return;
    const QString body = writer.inFlight.take(id);
    if (type == u"ack") {
        writer.acknowledged.insert(frame.value(QStringLiteral("message_id")).toInteger(), body);
        ++m_acknowledged;
    } else {
        m_errors << QStringLiteral("%1: %2").arg(writer.user, text);
    }
    if (m_running)
        sendNext(writer);
}

QStringList ChatWriters::rooms() const
{
    QStringList names;
    for (const auto &writer : m_writers)
        names << writer->room;
    return names;
}

QHash<QString, QHash<qint64, QString>> ChatWriters::acknowledged() const
{
    QHash<QString, QHash<qint64, QString>> byRoom;
    for (const auto &writer : m_writers)
        byRoom.insert(writer->room, writer->acknowledged);
    return byRoom;
}

qsizetype ChatWriters::acknowledgedCount() const
{
    return m_acknowledged;
}

} // namespace veza::testing
