#include "MonitorChannel.h"

#include <QJsonDocument>

namespace veza::console {

MonitorChannel::MonitorChannel(ConnectionStatus *status, QObject *parent)
    : QObject(parent)
    , m_status(status)
    , m_link(status, Channel::Monitor, false)
{
    connect(&m_link, &ReconnectingSocket::text, this, &MonitorChannel::onText);
}

void MonitorChannel::open(const QUrl &url, const QByteArray &token, const QSslConfiguration &tls)
{
    m_link.open(url, token, tls);
}

void MonitorChannel::close()
{
    m_link.close();
}

void MonitorChannel::subscribeLevels(const QString &stream)
{
    if (stream == m_levelsStream)
        return;
    m_levelsStream = stream;
    if (!isOpen())
        return; // sent once the snapshot arrives
    m_link.send(stream.isEmpty()
                    ? QJsonObject{{QStringLiteral("type"), QStringLiteral("unsubscribe_levels")}}
                    : QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe_levels")},
                                  {QStringLiteral("stream"), stream}});
}

void MonitorChannel::onText(const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(u"type").toString();
    if (type == u"snapshot") {
        m_link.markConnected();
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

} // namespace veza::console
