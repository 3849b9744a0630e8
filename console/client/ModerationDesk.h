#pragma once

#include "JsonTableModel.h"

#include <QObject>
#include <QTimer>
#include <functional>

namespace veza::console {

class ApiClient;

// ModerationDesk: what a moderator works from, without widgets: the rooms directory
// (GET /api/rooms), the review queue (GET /api/reports, open ones), the audit log
// (GET /api/moderation/actions, with its filters) and the actions over HTTP
// (POST /api/moderation/actions, POST /api/reports/{id}/resolve). The lists refresh every
// 10 s and at once when the live feed says something changed (a moderation action, a report:
// another moderator's work shows up without waiting). GUI thread.
class ModerationDesk : public QObject
{
    Q_OBJECT

public:
    static constexpr int kRefreshMs = 10000;
    // The audit log's filters (empty: any).
    struct AuditFilter
    {
        QString actor, action, user, room;
        qint64 sinceMs = 0, untilMs = 0;
    };
    using Done = std::function<void(const QString &problem)>; // empty problem: done

    explicit ModerationDesk(ApiClient *api, QObject *parent = nullptr);

    JsonTableModel *rooms() { return &m_rooms; }
    JsonTableModel *reports() { return &m_reports; }
    JsonTableModel *auditLog() { return &m_audit; }

    void start();
    void stop();
    void refresh();
    void setAuditFilter(const AuditFilter &filter);
    // A frame of the live feeds (/monitor, /chat): refreshes what it changed.
    void onEvent(const QJsonObject &frame);

    // A moderation action: {"action":"ban","room":...,"user":...,"seconds":...,"reason":...}.
    void act(const QJsonObject &action, Done done);
    // Resolves a report: {"outcome":"dismiss"|"delete"|"timeout"|"ban"|"purge", "note", ...}.
    void resolve(qint64 reportId, const QJsonObject &resolution, Done done);

Q_SIGNALS:
    void refreshFailed(const QString &problem);
    // An action or resolution went through (for the status bar and the incident timeline).
    void acted(const QString &summary);

private:
    void load(const QString &path, const QUrlQuery &query, const QString &listField,
              JsonTableModel *model);
    void scheduleRefresh();
    static void countReportsPerMessage(QList<QJsonObject> &reports);

    ApiClient *m_api;
    JsonTableModel m_rooms;
    JsonTableModel m_reports;
    JsonTableModel m_audit;
    AuditFilter m_filter;
    QTimer m_timer;
    QTimer m_soon; // coalesces a burst of events into one refresh
};

} // namespace veza::console
