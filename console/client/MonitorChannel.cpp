#include "MonitorChannel.h"

#include <QJsonDocument>
#include <QNetworkRequest>

namespace veza::console {
namespace {

constexpr quint16 kCloseUnauthorized = 4401;
constexpr quint16 kCloseForbidden = 4403;

} // namespace

MonitorChannel::MonitorChannel(ConnectionStatus *status, QObject *parent)
    : QObject(parent)
    , m_status(status)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &MonitorChannel::connectNow);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &MonitorChannel::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, &MonitorChannel::onClosed);
    // A connection that never opened (the server is down) ends with an error, no disconnected().
    connect(&m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (m_socket.state() != QAbstractSocket::ConnectedState && !m_retry.isActive())
                    onClosed();
            });
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_status->set(Channel::Monitor, ChannelStatus::State::Connecting, tr("authenticating"));
    });
}

MonitorChannel::~MonitorChannel()
{
    // The socket outlives the members declared after it: its last signals must not reach us.
    QObject::disconnect(&m_socket, nullptr, this, nullptr);
}

void MonitorChannel::open(const QUrl &url, const QByteArray &token, const QSslConfiguration &tls)
{
    m_url = url;
    m_token = token;
    m_tls = tls;
    m_wanted = true;
    m_backoff.reset();
    m_retry.stop();
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.abort();
    connectNow();
}

void MonitorChannel::close()
{
    m_wanted = false;
    m_retry.stop();
    m_socket.close();
    m_status->set(Channel::Monitor, ChannelStatus::State::Disconnected, {});
}

void MonitorChannel::subscribeLevels(const QString &stream)
{
    if (stream == m_levelsStream)
        return;
    m_levelsStream = stream;
    if (!isOpen())
        return; // sent once the snapshot arrives
    const QJsonObject frame =
        stream.isEmpty()
            ? QJsonObject{{QStringLiteral("type"), QStringLiteral("unsubscribe_levels")}}
            : QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe_levels")},
                          {QStringLiteral("stream"), stream}};
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void MonitorChannel::connectNow()
{
    if (!m_wanted)
        return;
    m_status->set(Channel::Monitor, ChannelStatus::State::Connecting,
                  m_backoff.attempts() > 0 ? tr("reconnecting") : QString());
    QNetworkRequest request(m_url);
    request.setRawHeader("Authorization", "Bearer " + m_token);
    m_socket.setSslConfiguration(m_tls);
    m_socket.open(request);
}

void MonitorChannel::onText(const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(u"type").toString();
    if (type == u"snapshot") {
        m_backoff.reset();
        m_status->set(Channel::Monitor, ChannelStatus::State::Connected);
        if (!m_levelsStream.isEmpty()) {
            const QString stream = std::exchange(m_levelsStream, {});
            subscribeLevels(stream);
        }
        Q_EMIT snapshot(frame.value(u"streams").toArray());
    } else if (type == u"stats") {
        Q_EMIT stats(frame);
    } else if (type == u"levels") {
        Q_EMIT levels(frame.value(u"stream").toString(), frame.value(u"levels").toObject());
    } else if (type == u"events_lost") {
        m_status->set(Channel::Monitor, ChannelStatus::State::Degraded,
                      tr("%n event(s) lost: the console fell behind", nullptr,
                         frame.value(u"count").toInt()));
        Q_EMIT event(frame);
    } else if (!type.isEmpty() && type != u"pong" && type != u"error") {
        Q_EMIT event(frame);
    }
}

void MonitorChannel::onClosed()
{
    if (m_retry.isActive())
        return; // already waiting to retry (an error came before the disconnection)
    const quint16 code = quint16(m_socket.closeCode());
    const QString serverReason = m_socket.closeReason();
    if (code == kCloseUnauthorized || code == kCloseForbidden) {
        // The token or the role is the problem: knocking again would not change it.
        m_wanted = false;
        m_status->set(Channel::Monitor, ChannelStatus::State::Disconnected,
                      code == kCloseUnauthorized
                          ? tr("token refused (%1): paste a new one").arg(serverReason)
                          : tr("forbidden (%1)").arg(serverReason));
        return;
    }
    if (!m_wanted)
        return;
    QString why = serverReason;
    if (why.isEmpty())
        why = m_socket.errorString();
    const int delay = m_backoff.nextDelayMs();
    m_status->set(Channel::Monitor, ChannelStatus::State::Disconnected,
                  tr("%1; retrying in %2 s").arg(why).arg((delay + 999) / 1000));
    m_retry.start(delay);
}

} // namespace veza::console
