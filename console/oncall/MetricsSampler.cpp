#include "MetricsSampler.h"

#include "OncallLog.h"
#include "ScrapeFigures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace veza::oncall {
namespace {

QUrl withPath(QUrl base, const QString &path)
{
    QString joined = base.path();
    while (joined.endsWith(u'/'))
        joined.chop(1);
    base.setPath(joined + path);
    return base;
}

} // namespace

MetricsSampler::MetricsSampler(QObject *parent)
    : FigureSource(parent)
{
}

MetricsSampler::~MetricsSampler()
{
    for (Answer *answer : {&m_metrics, &m_live, &m_ready}) {
        if (answer->reply) {
            answer->reply->disconnect(this);
            answer->reply->abort();
        }
    }
}

QStringList MetricsSampler::readinessFailures() const
{
    return history().reading(QStringLiteral("health_ready")).details;
}

QNetworkReply *MetricsSampler::get(const QUrl &url)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(requestTimeoutMs());
    request.setRawHeader("Accept", "text/plain, application/json");
    return m_network.get(request);
}

void MetricsSampler::beginRound(const QDateTime &at)
{
    m_roundAt = at;
    const std::pair<Answer *, QUrl> requests[] = {
        {&m_metrics, m_metricsUrl},
        {&m_live, m_healthBaseUrl.isValid()
                      ? withPath(m_healthBaseUrl, QStringLiteral("/health/live"))
                      : QUrl()},
        {&m_ready, m_healthBaseUrl.isValid()
                       ? withPath(m_healthBaseUrl, QStringLiteral("/health/ready"))
                       : QUrl()},
    };
    for (const auto &[answer, url] : requests) {
        *answer = Answer();
        if (!url.isValid()) {
            answer->done = true;
            answer->error = tr("not configured");
            continue;
        }
        QNetworkReply *reply = get(url);
        answer->reply = reply;
        connect(reply, &QNetworkReply::finished, this,
                [this, answer, reply] { onFinished(*answer, reply); });
    }
    if (m_metrics.done && m_live.done && m_ready.done)
        finishRound();
}

void MetricsSampler::onFinished(Answer &answer, QNetworkReply *reply)
{
    reply->deleteLater();
    if (answer.reply != reply)
        return;
    answer.reply = nullptr;
    answer.done = true;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.answered = answer.status > 0;
    answer.body = reply->readAll();
    if (reply->error() == QNetworkReply::OperationCanceledError)
        answer.error = tr("no answer within %1 ms").arg(requestTimeoutMs());
    else if (reply->error() != QNetworkReply::NoError)
        answer.error = reply->errorString();
    if (m_metrics.done && m_live.done && m_ready.done)
        finishRound();
}

FigureReading MetricsSampler::liveReading(const Answer &answer) const
{
    FigureReading reading;
    if (!m_healthBaseUrl.isValid())
        return reading;
    if (!answer.answered) {
        reading.value = 0;
        reading.text = tr("no answer");
        reading.details = QStringList{answer.error};
    } else if (answer.status == 200) {
        reading.value = 1;
        reading.text = tr("alive");
    } else {
        reading.value = 0;
        reading.text = answer.status == 503 ? tr("stalled") : tr("HTTP %1").arg(answer.status);
    }
    return reading;
}

FigureReading MetricsSampler::readyReading(const Answer &answer) const
{
    FigureReading reading;
    if (!m_healthBaseUrl.isValid())
        return reading;
    if (!answer.answered) {
        reading.value = 0;
        reading.text = tr("no answer");
        reading.details = QStringList{answer.error};
        return reading;
    }
    if (answer.status == 200) {
        reading.value = 1;
        reading.text = tr("ready");
        return reading;
    }
    reading.value = 0;
    reading.text = answer.status == 503 ? tr("not ready") : tr("HTTP %1").arg(answer.status);
    // {"status":"not_ready","failing":["database: no answer within 5000 ms", ...]}
    const QJsonArray failing =
        QJsonDocument::fromJson(answer.body).object().value(QStringLiteral("failing")).toArray();
    for (const QJsonValue &reason : failing)
        reading.details.append(reason.toString());
    return reading;
}

void MetricsSampler::finishRound()
{
    const qint64 atMs = m_roundAt.toMSecsSinceEpoch();
    QHash<QString, FigureReading> readings;
    QStringList problems;

    if (m_metrics.answered && m_metrics.status == 200) {
        Exposition exposition = PrometheusText::parse(m_metrics.body);
        m_parseErrors.clear();
        for (const ExpositionError &error : exposition.errors)
            m_parseErrors.append(tr("line %1: %2").arg(error.line).arg(error.message));
        if (!m_parseErrors.isEmpty()) {
            problems.append(
                tr("/metrics: %n unreadable line(s)", nullptr, int(m_parseErrors.size())));
            qCWarning(lcOncall) << "unreadable /metrics lines:" << m_parseErrors.first();
        }
        readings = ScrapeFigures::compute(m_previous ? &*m_previous : nullptr, m_previousMs,
                                          exposition, atMs);
        m_previous = std::move(exposition);
        m_previousMs = atMs;
    } else if (m_metricsUrl.isValid()) {
        problems.append(m_metrics.answered ? tr("/metrics: HTTP %1").arg(m_metrics.status)
                                           : tr("/metrics: %1").arg(m_metrics.error));
    }

    readings.insert(QStringLiteral("health_live"), liveReading(m_live));
    readings.insert(QStringLiteral("health_ready"), readyReading(m_ready));
    if (m_healthBaseUrl.isValid()) {
        if (!m_live.answered)
            problems.append(tr("/health/live: %1").arg(m_live.error));
        if (!m_ready.answered)
            problems.append(tr("/health/ready: %1").arg(m_ready.error));
    }

    const bool answered = m_metrics.answered || m_live.answered || m_ready.answered;
    FigureReading up;
    up.value = answered ? 1 : 0;
    readings.insert(FigureHistory::kUp, up);

    Status status = Status::Ok;
    if (!m_metricsUrl.isValid() && !m_healthBaseUrl.isValid()) {
        status = Status::Unreachable;
        problems = QStringList{tr("no server address configured")};
    } else if (!answered) {
        status = Status::Unreachable;
    } else if (!problems.isEmpty()) {
        status = Status::Degraded;
    }
    if (status != Status::Ok)
        qCInfo(lcOncall) << "sampling" << statusText(status) << problems;
    endRound(m_roundAt, readings, status, problems.join(QStringLiteral("; ")));
}

} // namespace veza::oncall
