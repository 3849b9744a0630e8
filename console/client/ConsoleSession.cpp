#include "ConsoleSession.h"

#include "FigureSource.h"
#include "OncallSession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace veza::console {

ConsoleSession::ConsoleSession(QObject *parent)
    : QObject(parent)
    , m_monitor(&m_status)
    , m_chat(&m_status)
    , m_moderation(&m_api)
{
    connect(&m_monitor, &MonitorChannel::event, &m_moderation, &ModerationDesk::onEvent);
    // The Metrics channel is the on-call figures' source: /metrics, or Prometheus.
    connect(&m_oncall, &OncallDesk::started, this, [this] {
        oncall::FigureSource *source = m_oncall.session()->source();
        const auto show = [this](oncall::FigureSource::Status status, const QString &reason) {
            using State = ChannelStatus::State;
            const State state = status == oncall::FigureSource::Status::Ok ? State::Connected
                                : status == oncall::FigureSource::Status::Degraded ? State::Degraded
                                : status == oncall::FigureSource::Status::Unknown
                                    ? State::Connecting
                                    : State::Disconnected;
            m_status.set(Channel::Metrics, state, reason);
        };
        connect(source, &oncall::FigureSource::statusChanged, this, show);
        show(source->status(), source->statusReason());
    });
    m_health.setInterval(kHealthIntervalMs);
    connect(&m_health, &QTimer::timeout, this, &ConsoleSession::checkHealth);
    connect(&m_monitor, &MonitorChannel::snapshot, &m_streams, &StreamsModel::applySnapshot);
    connect(&m_monitor, &MonitorChannel::stats, &m_streams, &StreamsModel::applyStats);
    connect(&m_monitor, &MonitorChannel::stats, &m_history, &StreamHistory::applyStats);
    connect(&m_monitor, &MonitorChannel::event, &m_streams, &StreamsModel::applyEvent);
    connect(&m_api, &ApiClient::unauthorized, this, [this](const QString &reason) {
        m_status.set(Channel::Http, ChannelStatus::State::Disconnected,
                     tr("token refused: %1").arg(reason));
    });
}

namespace {

// The token's subject, for display and the timeline (the server checks the token; the console
// only reads what it says).
QString subjectOf(const QByteArray &token)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return {};
    const QByteArray payload = QByteArray::fromBase64(
        parts.at(1), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return QJsonDocument::fromJson(payload).object().value(u"sub").toString();
}

} // namespace

void ConsoleSession::connectTo(const ServerProfile &profile, const QByteArray &token)
{
    disconnectFromServer();
    m_operator = subjectOf(token);
    QString caProblem;
    m_api.configure(profile, token, &caProblem);
    m_status.set(Channel::Http, ChannelStatus::State::Connecting, caProblem);
    // A moderator's read checks both the token and the role the console needs.
    m_api.get(QStringLiteral("/api/sanctions"), QUrlQuery(QStringLiteral("limit=1")), this,
              [this, token](const ApiResult &result) {
                  if (!result.ok()) {
                      const QString problem =
                          result.status == 0     ? tr("server unreachable: %1").arg(result.error)
                          : result.status == 403 ? tr("this token is not a moderator's or an "
                                                      "admin's: %1")
                                                       .arg(result.error)
                                                 : result.error;
                      m_status.set(Channel::Http, ChannelStatus::State::Disconnected, problem);
                      return Q_EMIT connected(problem);
                  }
                  m_connected = true;
                  m_status.set(Channel::Http, ChannelStatus::State::Connected);
                  m_monitor.open(m_api.profile().webSocketUrl(QStringLiteral("/monitor")), token,
                                 m_api.tlsConfiguration());
                  m_chat.open(m_api.profile().webSocketUrl(QStringLiteral("/chat")), token,
                              m_api.tlsConfiguration());
                  m_moderation.start();
                  m_oncall.start(m_api.profile(), m_operator);
                  m_health.start();
                  checkHealth();
                  Q_EMIT connected({});
              });
}

void ConsoleSession::disconnectFromServer()
{
    m_connected = false;
    m_health.stop();
    m_monitor.close();
    m_chat.close();
    m_moderation.stop();
    m_oncall.stop();
    m_status.set(Channel::Metrics, ChannelStatus::State::Disconnected);
    m_streams.clear();
    m_history.clear();
    m_status.set(Channel::Http, ChannelStatus::State::Disconnected);
}

void ConsoleSession::checkHealth()
{
    m_api.fetch(m_api.profile().httpUrl(QStringLiteral("/health/ready")), false, this,
                [this](int status, const QByteArray &body, const QString &error) {
                    if (!m_connected)
                        return;
                    if (status == 200)
                        return m_status.set(Channel::Http, ChannelStatus::State::Connected);
                    if (status == 0)
                        return m_status.set(Channel::Http, ChannelStatus::State::Disconnected,
                                            tr("server unreachable: %1").arg(error));
                    QStringList failing;
                    for (const QJsonValue &reason :
                         QJsonDocument::fromJson(body).object().value(u"failing").toArray())
                        failing.append(reason.toString());
                    m_status.set(Channel::Http, ChannelStatus::State::Degraded,
                                 tr("not ready: %1").arg(failing.join(QStringLiteral("; "))));
                });
}

} // namespace veza::console
