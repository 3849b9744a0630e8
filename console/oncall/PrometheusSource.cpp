#include "PrometheusSource.h"

#include "FigureCatalog.h"
#include "OncallLog.h"
#include "PrometheusText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <algorithm>
#include <limits>

namespace veza::oncall {
namespace {

// metric{matchers..., job="..."}
QString selector(const QString &metric, const QString &job, const QStringList &matchers = {})
{
    QStringList all = matchers;
    if (!job.isEmpty())
        all.append(QStringLiteral("job=\"%1\"").arg(job));
    return all.isEmpty() ? metric : metric + u'{' + all.join(u',') + u'}';
}

QString p99Ms(const QString &histogram, const QString &job, const QString &window)
{
    return QStringLiteral("1000 * histogram_quantile(0.99, sum by (le) (rate(%1[%2])))")
        .arg(selector(histogram + QStringLiteral("_bucket"), job), window);
}

double sampleValue(const QJsonValue &pair)
{
    // [ <unix time>, "<value>" ]
    const std::optional<double> value =
        PrometheusText::parseValue(pair.toArray().at(1).toString().toLatin1());
    return value.value_or(std::numeric_limits<double>::quiet_NaN());
}

} // namespace

PrometheusSource::PrometheusSource(QObject *parent)
    : FigureSource(parent)
    , m_runbookRules(AlertRules::builtIn())
{
}

PrometheusSource::~PrometheusSource()
{
    for (const Pending &pending : std::as_const(m_pending)) {
        if (pending.reply) {
            pending.reply->disconnect(this);
            pending.reply->abort();
        }
    }
}

QString PrometheusSource::query(const QString &key, const QString &job, const QString &w)
{
    const auto sum = [&](const QString &metric) {
        return QStringLiteral("sum(%1)").arg(selector(metric, job));
    };
    const auto rate = [&](const QString &metric, const QStringList &matchers = {}) {
        return QStringLiteral("sum(rate(%1[%2]))").arg(selector(metric, job, matchers), w);
    };
    // "or <all series> * 0": 0 rather than no data while the family has none of the selected
    // children yet (no 5xx so far), and still no data when the server does not export it.
    const auto rateOrZero = [&](const QString &metric, const QString &matcher) {
        return QStringLiteral("(%1 or %2 * 0)").arg(rate(metric, {matcher}), rate(metric));
    };
    if (key == FigureHistory::kUp || key == u"health_live")
        return selector(QStringLiteral("up"), job);
    if (key == u"connections")
        return sum(QStringLiteral("websocket_connections_active"));
    // Each instance reports the deployment's users (Redis shares presence): the same figure N
    // times, so the largest, never the sum (a user on two instances counts once).
    if (key == u"active_users")
        return QStringLiteral("max(%1)").arg(selector(QStringLiteral("active_users_total"), job));
    if (key == u"messages_per_second")
        return rateOrZero(QStringLiteral("chat_messages_total"),
                          QStringLiteral("result=\"stored\""));
    if (key == u"http_p99_ms")
        return p99Ms(QStringLiteral("http_request_duration_seconds"), job, w);
    if (key == u"message_p99_ms")
        return p99Ms(QStringLiteral("chat_message_latency_seconds"), job, w);
    if (key == u"error_rate_percent")
        return QStringLiteral("100 * %1 / %2")
            .arg(rateOrZero(QStringLiteral("http_requests_total"),
                            QStringLiteral("status=~\"5..\"")),
                 rate(QStringLiteral("http_requests_total")));
    // Per-process figures: the worst instance, as the guide's per-instance alerts see it.
    if (key == u"cpu_percent")
        return QStringLiteral("max(%1)").arg(selector(QStringLiteral("cpu_usage_percent"), job));
    if (key == u"memory_percent")
        return QStringLiteral("max(%1)").arg(selector(QStringLiteral("memory_usage_percent"), job));
    if (key == u"streams")
        return sum(QStringLiteral("streams_active"));
    if (key == u"listeners")
        return sum(QStringLiteral("listeners_active"));
    if (key == u"stream_degraded_percent")
        return QStringLiteral("max(%1)").arg(
            selector(QStringLiteral("stream_quality_degraded_percent"), job));
    if (key == u"db_query_p99_ms")
        return p99Ms(QStringLiteral("db_query_duration_seconds"), job, w);
    if (key == u"delivery_success_percent")
        return QStringLiteral("100 * min(%1)")
            .arg(selector(QStringLiteral("message_delivery_success_rate"), job));
    if (key == u"slow_consumer_disconnects_per_minute")
        return QStringLiteral("60 * %1").arg(
            rate(QStringLiteral("websocket_slow_consumer_disconnects_total")));
    if (key == u"open_files")
        return QStringLiteral("max(%1)").arg(selector(QStringLiteral("process_open_fds"), job));
    return {}; // health_ready: no metric says it
}

void PrometheusSource::send(const QString &key, const QUrl &url)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(requestTimeoutMs());
    request.setRawHeader("Accept", "application/json");
    QNetworkReply *reply = m_network.get(request);
    m_pending.append({key, reply});
    connect(reply, &QNetworkReply::finished, this, [this, reply, key] { onFinished(reply, key); });
}

void PrometheusSource::beginRound(const QDateTime &at)
{
    m_roundAt = at;
    m_pending.clear();
    m_readings.clear();
    m_problems.clear();
    m_networkError.clear();
    m_answered = 0;
    if (!m_url.isValid()) {
        endRound(at, {}, Status::Unreachable, tr("no Prometheus address configured"));
        return;
    }
    QString base = m_url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    for (const FigureDefinition &figure : FigureCatalog::all()) {
        const QString promql = query(figure.key, m_job, m_window);
        if (promql.isEmpty())
            continue;
        QUrl url = m_url;
        url.setPath(base + QStringLiteral("/api/v1/query"));
        url.setQuery(QStringLiteral("query=") +
                         QString::fromLatin1(QUrl::toPercentEncoding(promql)),
                     QUrl::StrictMode);
        send(figure.key, url);
    }
    QUrl alerts = m_url;
    alerts.setPath(base + QStringLiteral("/api/v1/alerts"));
    alerts.setQuery(QString());
    send(QString(), alerts);
}

void PrometheusSource::onFinished(QNetworkReply *reply, const QString &key)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    const QString what = key.isEmpty() ? QStringLiteral("/api/v1/alerts") : key;
    if (status > 0)
        ++m_answered;
    if (status != 200 || body.value(QStringLiteral("status")).toString() != u"success") {
        QString error = body.value(QStringLiteral("error")).toString();
        if (error.isEmpty())
            error = reply->error() == QNetworkReply::OperationCanceledError
                        ? tr("no answer within %1 ms").arg(requestTimeoutMs())
                        : reply->errorString();
        m_problems.append({what, error});
        if (status == 0)
            m_networkError = error;
    } else if (key.isEmpty()) {
        readAlerts(body.value(QStringLiteral("data")).toObject());
    } else {
        const QJsonArray result =
            body.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
        FigureReading reading;
        if (key == u"health_live") {
            // One `up` sample per target: all up is 1, any down is 0.
            int up = 0;
            for (const QJsonValue &target : result) {
                const QJsonObject object = target.toObject();
                if (sampleValue(object.value(QStringLiteral("value"))) >= 1) {
                    ++up;
                } else {
                    const QJsonObject labels = object.value(QStringLiteral("metric")).toObject();
                    reading.details.append(
                        tr("%1 (job %2) is down")
                            .arg(labels.value(QStringLiteral("instance")).toString(),
                                 labels.value(QStringLiteral("job")).toString()));
                }
            }
            if (!result.isEmpty()) {
                reading.value = up == result.size() ? 1 : 0;
                reading.text = tr("%1 of %2 up").arg(up).arg(result.size());
            }
        } else if (!result.isEmpty()) {
            reading.value = sampleValue(result.first().toObject().value(QStringLiteral("value")));
        }
        m_readings.insert(key, reading);
    }
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        if (m_pending.at(i).reply == reply) {
            m_pending.removeAt(i);
            break;
        }
    }
    if (m_pending.isEmpty())
        finishRound();
}

void PrometheusSource::readAlerts(const QJsonObject &data)
{
    QList<Alert> firing;
    for (const QJsonValue &value : data.value(QStringLiteral("alerts")).toArray()) {
        const QJsonObject object = value.toObject();
        if (object.value(QStringLiteral("state")).toString() != u"firing")
            continue;
        Alert alert;
        const QJsonObject labels = object.value(QStringLiteral("labels")).toObject();
        const QJsonObject annotations = object.value(QStringLiteral("annotations")).toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it)
            alert.labels.insert(it.key(), it.value().toString());
        alert.name = alert.labels.value(QStringLiteral("alertname"));
        alert.severity = Alert::severityFromName(alert.labels.value(QStringLiteral("severity")));
        alert.since = QDateTime::fromString(object.value(QStringLiteral("activeAt")).toString(),
                                            Qt::ISODateWithMs);
        alert.value =
            PrometheusText::parseValue(object.value(QStringLiteral("value")).toString().toLatin1())
                .value_or(std::numeric_limits<double>::quiet_NaN());
        alert.valueText = QLocale().toString(alert.value, 'g', 6);
        alert.runbook = annotations.value(QStringLiteral("runbook")).toString();
        if (alert.runbook.isEmpty())
            alert.runbook = alert.labels.value(QStringLiteral("runbook"));
        if (const AlertRule *rule = m_runbookRules.find(alert.name);
            rule && alert.runbook.isEmpty())
            alert.runbook = rule->runbook;
        alert.condition = annotations.value(QStringLiteral("summary")).toString();
        firing.append(alert);
    }
    std::sort(firing.begin(), firing.end(), [](const Alert &a, const Alert &b) {
        return std::pair(a.name, a.identity()) < std::pair(b.name, b.identity());
    });
    m_firing = firing;
}

QString PrometheusSource::problemsText() const
{
    // One line per distinct error: seventeen "Connection refused" say nothing more than one.
    QStringList errors;
    QHash<QString, QStringList> failed;
    for (const auto &[what, error] : m_problems) {
        if (!failed.contains(error))
            errors.append(error);
        failed[error].append(what);
    }
    QStringList lines;
    for (const QString &error : std::as_const(errors)) {
        const QStringList &whats = failed.value(error);
        lines.append(whats.size() == 1
                         ? QStringLiteral("%1: %2").arg(whats.first(), error)
                         : tr("%1 (%n requests)", nullptr, int(whats.size())).arg(error));
    }
    return lines.join(QStringLiteral("; "));
}

void PrometheusSource::finishRound()
{
    FigureReading up;
    up.value = m_answered > 0 ? 1 : 0;
    m_readings.insert(FigureHistory::kUp, up);
    Status status = Status::Ok;
    if (m_answered == 0)
        status = Status::Unreachable;
    else if (!m_problems.isEmpty())
        status = Status::Degraded;
    const QString reason = status == Status::Unreachable ? m_networkError : problemsText();
    if (status != Status::Ok)
        qCInfo(lcOncall) << "Prometheus" << statusText(status) << reason;
    QStringList summary;
    for (const Alert &alert : std::as_const(m_firing))
        summary.append(alert.identity() + u'=' + alert.valueText);
    const bool alertsChanged = summary != m_lastFiring;
    m_lastFiring = summary;
    endRound(m_roundAt, m_readings, status, reason);
    if (alertsChanged)
        Q_EMIT firingAlertsChanged(m_firing);
}

} // namespace veza::oncall
