#include "ModerationDesk.h"

#include "ApiClient.h"

#include <QJsonArray>
#include <QLocale>
#include <QUrlQuery>

namespace veza::console {
namespace {

using Column = JsonTableModel::Column;

QVariant number(const QJsonObject &row, const QString &field)
{
    return QLocale().toString(row.value(field).toInteger());
}

QList<Column> roomColumns()
{
    return {
        JsonTableModel::text([] { return ModerationDesk::tr("Room"); }, QStringLiteral("name")),
        {[] { return ModerationDesk::tr("Kind"); },
         [](const QJsonObject &r) {
             return r.value(u"kind").toString() == u"private" ? ModerationDesk::tr("private")
                                                              : ModerationDesk::tr("public");
         }},
        JsonTableModel::text([] { return ModerationDesk::tr("Topic"); }, QStringLiteral("topic")),
        JsonTableModel::text([] { return ModerationDesk::tr("Owner"); }, QStringLiteral("owner")),
        {[] { return ModerationDesk::tr("Members"); },
         [](const QJsonObject &r) { return number(r, QStringLiteral("members")); },
         [](const QJsonObject &r) { return r.value(u"members").toInteger(); }},
        {[] { return ModerationDesk::tr("Online"); },
         [](const QJsonObject &r) { return number(r, QStringLiteral("members_online")); },
         [](const QJsonObject &r) { return r.value(u"members_online").toInteger(); }},
        {[] { return ModerationDesk::tr("Messages (1 h)"); },
         [](const QJsonObject &r) { return number(r, QStringLiteral("messages_last_hour")); },
         [](const QJsonObject &r) { return r.value(u"messages_last_hour").toInteger(); }},
        JsonTableModel::time([] { return ModerationDesk::tr("Last activity"); },
                             QStringLiteral("last_activity")),
        {[] { return ModerationDesk::tr("Open reports"); },
         [](const QJsonObject &r) { return number(r, QStringLiteral("open_reports")); },
         [](const QJsonObject &r) { return r.value(u"open_reports").toInteger(); }},
        {[] { return ModerationDesk::tr("Rules"); },
         [](const QJsonObject &r) {
             QStringList rules;
             if (r.value(u"locked").toBool())
                 rules << ModerationDesk::tr("locked");
             if (r.value(u"slow_mode_s").toInt() > 0)
                 rules << ModerationDesk::tr("slow mode %1 s").arg(r.value(u"slow_mode_s").toInt());
             return rules.join(QStringLiteral(", "));
         }}};
}

QList<Column> reportColumns()
{
    return {
        JsonTableModel::time([] { return ModerationDesk::tr("Reported"); },
                             QStringLiteral("created_at")),
        {[] { return ModerationDesk::tr("Reports"); },
         [](const QJsonObject &r) { return number(r, QStringLiteral("times_reported")); },
         [](const QJsonObject &r) { return r.value(u"times_reported").toInteger(); }},
        JsonTableModel::text([] { return ModerationDesk::tr("Room"); }, QStringLiteral("room")),
        JsonTableModel::text([] { return ModerationDesk::tr("Author"); }, QStringLiteral("author")),
        JsonTableModel::text([] { return ModerationDesk::tr("Message"); }, QStringLiteral("body")),
        JsonTableModel::text([] { return ModerationDesk::tr("Reason"); }, QStringLiteral("reason")),
        JsonTableModel::text([] { return ModerationDesk::tr("Details"); },
                             QStringLiteral("details")),
        JsonTableModel::text([] { return ModerationDesk::tr("Reporter"); },
                             QStringLiteral("reporter"))};
}

QList<Column> auditColumns()
{
    return {
        JsonTableModel::time([] { return ModerationDesk::tr("When"); },
                             QStringLiteral("created_at")),
        JsonTableModel::text([] { return ModerationDesk::tr("Moderator"); },
                             QStringLiteral("actor")),
        JsonTableModel::text([] { return ModerationDesk::tr("Action"); }, QStringLiteral("action")),
        JsonTableModel::text([] { return ModerationDesk::tr("Target"); }, QStringLiteral("target")),
        JsonTableModel::text([] { return ModerationDesk::tr("Room"); }, QStringLiteral("room")),
        JsonTableModel::text([] { return ModerationDesk::tr("Reason"); }, QStringLiteral("reason")),
        {[] { return ModerationDesk::tr("Parameters"); },
         [](const QJsonObject &r) {
             QStringList parts;
             const QJsonObject params = r.value(u"params").toObject();
             for (auto it = params.begin(); it != params.end(); ++it)
                 parts << QStringLiteral("%1=%2").arg(it.key(), it.value().toVariant().toString());
             return parts.join(QStringLiteral(", "));
         }}};
}

} // namespace

ModerationDesk::ModerationDesk(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_rooms(QStringLiteral("name"), roomColumns())
    , m_reports(QStringLiteral("id"), reportColumns())
    , m_audit(QStringLiteral("id"), auditColumns())
{
    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &ModerationDesk::refresh);
    m_soon.setSingleShot(true);
    m_soon.setInterval(200);
    connect(&m_soon, &QTimer::timeout, this, &ModerationDesk::refresh);
}

void ModerationDesk::start()
{
    m_timer.start();
    refresh();
}

void ModerationDesk::stop()
{
    m_timer.stop();
    m_soon.stop();
    m_rooms.clear();
    m_reports.clear();
    m_audit.clear();
}

void ModerationDesk::refresh()
{
    if (!m_timer.isActive())
        return;
    load(QStringLiteral("/api/rooms"), QUrlQuery(QStringLiteral("limit=200")),
         QStringLiteral("rooms"), &m_rooms);
    load(QStringLiteral("/api/reports"), QUrlQuery(QStringLiteral("status=open&limit=200")),
         QStringLiteral("reports"), &m_reports);
    QUrlQuery audit(QStringLiteral("limit=200"));
    const auto add = [&audit](const char *name, const QString &value) {
        if (!value.isEmpty())
            audit.addQueryItem(QLatin1StringView(name), value);
    };
    add("actor", m_filter.actor);
    add("action", m_filter.action);
    add("user", m_filter.user);
    add("room", m_filter.room);
    add("since", m_filter.sinceMs > 0 ? QString::number(m_filter.sinceMs) : QString());
    add("until", m_filter.untilMs > 0 ? QString::number(m_filter.untilMs) : QString());
    load(QStringLiteral("/api/moderation/actions"), audit, QStringLiteral("actions"), &m_audit);
}

void ModerationDesk::setAuditFilter(const AuditFilter &filter)
{
    m_filter = filter;
    m_audit.clear();
    refresh();
}

void ModerationDesk::load(const QString &path, const QUrlQuery &query, const QString &listField,
                          JsonTableModel *model)
{
    m_api->get(path, query, this, [this, listField, model](const ApiResult &result) {
        if (!result.ok())
            return Q_EMIT refreshFailed(result.error);
        QList<QJsonObject> rows;
        for (const QJsonValue &value : result.body.value(listField).toArray())
            rows.append(value.toObject());
        if (model == &m_reports)
            countReportsPerMessage(rows);
        model->replace(rows);
    });
}

// How many open reports name the same message, on each of them: the queue sorts by it to put
// the most reported first.
void ModerationDesk::countReportsPerMessage(QList<QJsonObject> &reports)
{
    QHash<QString, int> counts;
    const auto keyOf = [](const QJsonObject &r) -> QString {
        return r.value(u"room").toString() + QLatin1Char('/') +
               QString::number(r.value(u"message_id").toInteger());
    };
    for (const QJsonObject &report : std::as_const(reports))
        ++counts[keyOf(report)];
    for (QJsonObject &report : reports)
        report.insert(QStringLiteral("times_reported"), counts.value(keyOf(report)));
}

void ModerationDesk::onEvent(const QJsonObject &frame)
{
    const QString type = frame.value(u"type").toString();
    if (type == u"moderation" || type == u"report")
        scheduleRefresh();
}

void ModerationDesk::scheduleRefresh()
{
    if (m_timer.isActive() && !m_soon.isActive())
        m_soon.start();
}

void ModerationDesk::act(const QJsonObject &action, Done done)
{
    m_api->send("POST", QStringLiteral("/api/moderation/actions"), action, this,
                [this, action, done](const ApiResult &result) {
                    if (result.ok()) {
                        Q_EMIT acted(tr("%1 on %2 in %3")
                                         .arg(action.value(u"action").toString(),
                                              action.value(u"user").toString(),
                                              action.value(u"room").toString()));
                        scheduleRefresh();
                    }
                    if (done)
                        done(result.ok() ? QString() : result.error);
                });
}

void ModerationDesk::resolve(qint64 reportId, const QJsonObject &resolution, Done done)
{
    m_api->send("POST", QStringLiteral("/api/reports/%1/resolve").arg(reportId), resolution, this,
                [this, reportId, resolution, done](const ApiResult &result) {
                    if (result.ok()) {
                        Q_EMIT acted(tr("Report %1 resolved: %2")
                                         .arg(reportId)
                                         .arg(resolution.value(u"outcome").toString()));
                        scheduleRefresh();
                    }
                    if (done)
                        done(result.ok() ? QString() : result.error);
                });
}

} // namespace veza::console
