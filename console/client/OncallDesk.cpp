#include "OncallDesk.h"

#include "AlertRules.h"
#include "AlertsModel.h"
#include "OncallSession.h"
#include "RunbookLoader.h"
#include "ServerProfile.h"

#include <QFileInfo>
#include <QLocale>
#include <QStandardPaths>

namespace veza::console {

OncallDesk::OncallDesk(QObject *parent)
    : QObject(parent)
    , m_timeline(tr("On-call session"))
{
    loadRunbooks();
}

void OncallDesk::loadRunbooks()
{
    RunbookLoader loader(QLocale().name());
    m_runbooks = loader.load();
    m_runbookProblems.clear();
    for (const RunbookProblem &problem : loader.problems())
        m_runbookProblems.append(problem.toString());
}

OncallDesk::~OncallDesk() = default;

QString OncallDesk::userRulesPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/alert-rules.conf");
}

void OncallDesk::start(const ServerProfile &profile, const QString &operatorName)
{
    stop();
    m_operator = operatorName;
    m_timeline.setOperatorName(operatorName);
    m_runbookValues.setServer(profile);
    oncall::OncallSettings settings;
    settings.serverHttpUrl = profile.baseUrl;
    settings.serverMetricsUrl = profile.metricsUrl();
    settings.prometheusUrl = profile.prometheusUrl;
    oncall::AlertRules rules = oncall::AlertRules::builtIn();
    m_rulesProblems.clear();
    if (QFileInfo::exists(userRulesPath())) {
        oncall::AlertRules own = oncall::AlertRules::fromFile(userRulesPath(), &m_rulesProblems);
        if (m_rulesProblems.isEmpty())
            rules = std::move(own); // a broken file leaves the built-in rules in force
    }
    m_session = std::make_unique<oncall::OncallSession>(settings, std::move(rules));
    watchAlerts();
    m_session->start();
    Q_EMIT started();
}

void OncallDesk::stop()
{
    if (m_session)
        m_session->stop();
    m_session.reset();
}

void OncallDesk::recordAction(const QString &summary)
{
    m_timeline.recordAction(m_operator, summary);
}

// The alerts model is fed the same way whatever the source (own evaluation or Prometheus):
// a row inserted is an alert that fired, a row removed one that resolved.
void OncallDesk::watchAlerts()
{
    oncall::AlertsModel *alerts = m_session->alerts();
    connect(alerts, &QAbstractItemModel::rowsInserted, this,
            [this, alerts](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row) {
                    const oncall::Alert &alert = alerts->alertAt(row);
                    const QString detail =
                        alert.condition.isEmpty()
                            ? alert.valueText
                            : QStringLiteral("%1 (%2)").arg(alert.condition, alert.valueText);
                    m_timeline.recordAlertFired(alert.name, detail, alert.firedAt);
                    Q_EMIT alertFired(alert.name, oncall::Alert::severityName(alert.severity),
                                      detail);
                }
            });
    connect(alerts, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this, alerts](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row)
                    m_timeline.recordAlertResolved(alerts->alertAt(row).name);
            });
}

} // namespace veza::console
