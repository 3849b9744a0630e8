#pragma once

#include "FigureSource.h"
#include "PrometheusText.h"

#include <QNetworkAccessManager>
#include <QPointer>
#include <QUrl>
#include <optional>

class QNetworkReply;

namespace veza::oncall {

// MetricsSampler: the figures of one veza-server, read by the console itself. Every interval
// it asks, at the same time, GET /metrics (PROMETHEUS_PORT), GET /health/live and GET
// /health/ready (the HTTP port), then records every figure: gauges as read, rates and P99s
// from the increases since the previous scrape (ScrapeFigures), the health probes as 1 or 0
// with their text and, for readiness, the failing reasons of a 503. `up` is 1 when the server
// answered at least one request. A round that fails keeps the series (with a gap) and says why
// through statusChanged(). GUI thread, all I/O asynchronous.
class MetricsSampler : public FigureSource
{
    Q_OBJECT

public:
    explicit MetricsSampler(QObject *parent = nullptr);
    ~MetricsSampler() override;

    // http://host:PROMETHEUS_PORT/metrics
    void setMetricsUrl(const QUrl &url) { m_metricsUrl = url; }
    QUrl metricsUrl() const { return m_metricsUrl; }
    // http://host:PORT (the paths /health/live and /health/ready are added)
    void setHealthBaseUrl(const QUrl &url) { m_healthBaseUrl = url; }
    QUrl healthBaseUrl() const { return m_healthBaseUrl; }

    // The readiness probe's failing reasons at the last round (empty when ready).
    QStringList readinessFailures() const;
    // Lines of the last /metrics the parser could not read ("line 12: ...").
    QStringList lastParseErrors() const { return m_parseErrors; }

protected:
    void beginRound(const QDateTime &at) override;

private:
    struct Answer
    {
        QPointer<QNetworkReply> reply;
        bool done = false;
        bool answered = false; // an HTTP status came back
        int status = 0;
        QByteArray body;
        QString error;
    };

    QNetworkReply *get(const QUrl &url);
    void onFinished(Answer &answer, QNetworkReply *reply);
    void finishRound();
    FigureReading liveReading(const Answer &answer) const;
    FigureReading readyReading(const Answer &answer) const;

    QNetworkAccessManager m_network;
    QUrl m_metricsUrl;
    QUrl m_healthBaseUrl;
    QDateTime m_roundAt;
    Answer m_metrics;
    Answer m_live;
    Answer m_ready;
    std::optional<Exposition> m_previous; // the last successful scrape
    qint64 m_previousMs = 0;
    QStringList m_parseErrors;
};

} // namespace veza::oncall
