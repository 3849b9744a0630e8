#pragma once

#include "IncidentTimeline.h"
#include "RunbookLibrary.h"
#include "RunbookValues.h"

#include <QObject>
#include <memory>

namespace veza::oncall {
class OncallSession;
}

namespace veza::console {

struct ServerProfile;

// OncallDesk: what the on-call engineer works from, without widgets: the figures and alerts of
// the deployment (oncall::OncallSession: the server's own /metrics, or Prometheus when the
// profile names one), the runbooks (shipped and the team's folder, in the console's language),
// and the session's incident timeline, which records every alert that fires or resolves and
// every action taken in the console. GUI thread.
class OncallDesk : public QObject
{
    Q_OBJECT

public:
    explicit OncallDesk(QObject *parent = nullptr);
    ~OncallDesk() override;

    void start(const ServerProfile &profile, const QString &operatorName);
    void stop();

    oncall::OncallSession *session() const { return m_session.get(); } // null until started
    const RunbookLibrary &runbooks() const { return m_runbooks; }
    // Reads the runbooks again, in the current language (after a change of language).
    void loadRunbooks();
    QStringList runbookProblems() const { return m_runbookProblems; }
    // The alert rules file a team may keep in the console's data folder: it replaces the
    // built-in rules (production thresholds of its own).
    static QString userRulesPath();
    QStringList rulesProblems() const { return m_rulesProblems; }
    IncidentTimeline *timeline() { return &m_timeline; }
    // What the runbooks' command placeholders stand for on this server.
    RunbookValues *runbookValues() { return &m_runbookValues; }
    // An action taken in the console (a kick, a ban...), for the timeline.
    void recordAction(const QString &summary);

Q_SIGNALS:
    void started(); // session() is new: views bind its models
    // An alert started firing (the tray notification's cue).
    void alertFired(const QString &name, const QString &severity, const QString &detail);

private:
    void watchAlerts();

    std::unique_ptr<oncall::OncallSession> m_session;
    RunbookLibrary m_runbooks;
    QStringList m_runbookProblems;
    QStringList m_rulesProblems;
    IncidentTimeline m_timeline;
    RunbookValues m_runbookValues;
    QString m_operator;
};

} // namespace veza::console
