#pragma once

#include "Alert.h"
#include "AlertRules.h"
#include "FigureSource.h"

#include <QNetworkAccessManager>
#include <QPointer>
#include <QUrl>

class QNetworkReply;

namespace veza::oncall {

// PrometheusSource: the dashboard's figures over the whole deployment, from a Prometheus
// server that scrapes the veza-servers: every interval one PromQL instant query per figure
// (GET /api/v1/query; query() says which) and the alerts Prometheus evaluates (GET
// /api/v1/alerts), of which the firing ones are kept. health_live comes from `up` (every
// target scraped), health_ready stays unknown (no metric says it). GUI thread, asynchronous.
class PrometheusSource : public FigureSource
{
    Q_OBJECT

public:
    explicit PrometheusSource(QObject *parent = nullptr);
    ~PrometheusSource() override;

    void setPrometheusUrl(const QUrl &url) { m_url = url; }
    QUrl prometheusUrl() const { return m_url; }
    // Restricts every query to one Prometheus job (job="..."); empty: every target.
    void setJob(const QString &job) { m_job = job; }
    QString job() const { return m_job; }
    // The range of rate() and of the histogram quantiles (default 5m: at least a few scrapes
    // at the usual intervals).
    void setRateWindow(const QString &window) { m_window = window; }
    QString rateWindow() const { return m_window; }
    // Where runbook ids of Prometheus' alerts come from when they carry no `runbook` label or
    // annotation: the console's rule of the same name (default: the built-in rules).
    void setRunbookRules(AlertRules rules) { m_runbookRules = std::move(rules); }

    // The PromQL of one figure (empty for one Prometheus cannot give).
    static QString query(const QString &figureKey, const QString &job, const QString &window);

    QList<Alert> firingAlerts() const { return m_firing; }

Q_SIGNALS:
    void firingAlertsChanged(const QList<veza::oncall::Alert> &alerts);

protected:
    void beginRound(const QDateTime &at) override;

private:
    struct Pending
    {
        QString key; // a figure key, kUp or empty for /api/v1/alerts
        QPointer<QNetworkReply> reply;
    };

    void send(const QString &key, const QUrl &url);
    void onFinished(QNetworkReply *reply, const QString &key);
    void readAlerts(const QJsonObject &data);
    QString problemsText() const;
    void finishRound();

    QNetworkAccessManager m_network;
    QUrl m_url;
    QString m_job;
    QString m_window = QStringLiteral("5m");
    AlertRules m_runbookRules;
    QDateTime m_roundAt;
    QList<Pending> m_pending;
    QHash<QString, FigureReading> m_readings;
    QList<std::pair<QString, QString>> m_problems; // what failed, why
    QString m_networkError;                        // of a request nothing answered
    int m_answered = 0;
    QList<Alert> m_firing;
    QStringList m_lastFiring;
};

} // namespace veza::oncall
