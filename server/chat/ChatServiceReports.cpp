// ChatService: reports and the review queue. Any member reports a message of a room they may
// read; the report keeps the message's body for the queue and reaches the room's moderators
// online at once. A moderator resolves one by dismissing it or by a moderation action on its
// message or author, applied in the same call. Same thread and rules as ChatService.cpp.
#include "chat/ChatJson.h"
#include "chat/ChatRooms.h"
#include "chat/ChatService.h"
#include "moderation/ModerationService.h"
#include "moderation/ReportStore.h"
#include "protocol/ServerFrames.h"
#include "storage/Database.h"

#include <QFuture>
#include <QJsonDocument>

namespace veza::chat {
namespace {

using protocol::ErrorCode;
using protocol::MessageType;
using namespace detail;

struct Filed
{
    RoomAccess access;
    std::optional<qint64> reportId;
};

// What resolving found before anything is applied.
struct ToResolve
{
    std::optional<moderation::Report> report;
    bool allowed = false;
    qint64 resolverId = 0;
};

} // namespace

void ChatService::report(const Principal &reporter, qint64 reporterId, const Request &request,
                         const AnswerTo &answer)
{
    const QString roomName = request.string(QLatin1StringView("room"));
    const qint64 seq = request.integer(QLatin1StringView("message_id"));
    const QString reason = request.string(QLatin1StringView("reason"));
    const QString details = request.string(QLatin1StringView("details"));
    if (!moderation::reportReasons().contains(reason))
        return answer(
            ChatAnswer::failed(ErrorCode::BadRequest, QStringLiteral("reason must be one of ") +
                                                          moderation::reportReasons().join(u", ")));
    qint64 retryAfterMs = 0;
    if (!m_reports.take(reporterId, m_clock.elapsed(), &retryAfterMs))
        return answer(ChatAnswer::failed(ErrorCode::RateLimited, QStringLiteral("too many reports"),
                                         {{QStringLiteral("retry_after_ms"), retryAfterMs}}));
    m_database
        .run([=](QSqlDatabase &db) {
            const qint64 now = nowMs();
            Filed filed{RoomAccess::check(db, roomName, reporterId, RoomUse::Read, now), {}};
            if (filed.access.allowed())
                filed.reportId = moderation::ReportStore::file(
                    db, reporterId, filed.access.room->id, seq, reason, details, now);
            return filed;
        })
        .then(this,
              [this, answer, roomName, seq, reason, by = reporter.externalId](const Filed &filed) {
                  if (!filed.access.allowed()) {
                      const bool sanctioned = filed.access.status == RoomAccess::Status::Banned;
                      return answer(ChatAnswer::failed(sanctioned ? ErrorCode::Forbidden
                                                                  : ErrorCode::NotFound,
                                                       filed.access.refusal(roomName)));
                  }
                  if (!filed.reportId)
                      return answer(ChatAnswer::failed(ErrorCode::NotFound,
                                                       QStringLiteral("no such message")));
                  m_metrics.reports.inc();
                  notifyModerators(
                      protocol::eventFrame(MessageType::Report,
                                           {{QStringLiteral("report_id"), *filed.reportId},
                                            {QStringLiteral("source"), u"user"_qs},
                                            {QStringLiteral("room"), roomName},
                                            {QStringLiteral("message_id"), seq},
                                            {QStringLiteral("reason"), reason},
                                            {QStringLiteral("by"), by}}),
                      filed.access.room->id);
                  answer(ChatAnswer::ok({{QStringLiteral("report_id"), *filed.reportId}}));
              })
        .onFailed(this, [answer] {
            answer(ChatAnswer::failed(ErrorCode::Internal, QStringLiteral("retry")));
        });
}

void ChatService::resolveReport(const Principal &caller, qint64 reportId,
                                const QJsonObject &resolution, const AnswerTo &answer)
{
    const QString outcome = resolution.value(QStringLiteral("outcome")).toString();
    const QString note = resolution.value(QStringLiteral("note")).toString().left(1000);
    static const QStringList actions{QStringLiteral("dismiss"), QStringLiteral("delete"),
                                     QStringLiteral("timeout"), QStringLiteral("ban"),
                                     QStringLiteral("purge")};
    if (!actions.contains(outcome))
        return answer(
            ChatAnswer::failed(ErrorCode::BadRequest,
                               QStringLiteral("outcome must be one of ") + actions.join(u", ")));
    const bool globalModerator = isGlobalModerator(caller);
    auto cipher = m_cipher;
    m_database
        .run([=, externalId = caller.externalId, name = caller.name](QSqlDatabase &db) {
            ToResolve found;
            found.resolverId = ChatRooms::ensureUser(db, externalId, name, nowMs());
            found.report = moderation::ReportStore::find(db, *cipher, reportId);
            found.allowed =
                found.report && moderation::ModerationService::canModerate(
                                    db, found.report->roomId, found.resolverId, globalModerator);
            return found;
        })
        .then(
            this,
            [=, this](const ToResolve &found) {
                if (!found.allowed) // the queue of rooms one does not moderate does not exist
                    return answer(
                        ChatAnswer::failed(ErrorCode::NotFound, QStringLiteral("no such report")));
                if (!found.report->open)
                    return answer(ChatAnswer::failed(
                        ErrorCode::Conflict, QStringLiteral("the report is already resolved")));
                const auto markResolved = [this, answer, reportId, outcome, note,
                                           resolverId =
                                               found.resolverId](const QJsonObject &action) {
                    m_database
                        .run([=](QSqlDatabase &db) {
                            return moderation::ReportStore::resolve(db, reportId, outcome, note,
                                                                    resolverId, nowMs());
                        })
                        .then(this,
                              [answer, reportId, outcome, action](bool resolved) {
                                  if (!resolved)
                                      return answer(ChatAnswer::failed(
                                          ErrorCode::Conflict,
                                          QStringLiteral("the report is already resolved")));
                                  QJsonObject fields{{QStringLiteral("report_id"), reportId},
                                                     {QStringLiteral("outcome"), outcome}};
                                  if (!action.isEmpty())
                                      fields.insert(QStringLiteral("action"), action);
                                  answer(ChatAnswer::ok(fields));
                              })
                        .onFailed(this, [answer] {
                            answer(
                                ChatAnswer::failed(ErrorCode::Internal, QStringLiteral("retry")));
                        });
                };
                if (outcome == u"dismiss")
                    return markResolved({});
                // The action applies to the reported message's room and author, with the
                // resolution's own parameters; validated as the chat frame would be.
                QJsonObject frame = resolution;
                frame.remove(QStringLiteral("outcome"));
                frame.remove(QStringLiteral("note"));
                frame.insert(QStringLiteral("type"), outcome);
                frame.insert(QStringLiteral("id"), QStringLiteral("resolve"));
                frame.insert(QStringLiteral("room"), found.report->room);
                frame.insert(QStringLiteral("user"), found.report->author);
                frame.insert(QStringLiteral("message_id"), found.report->messageId);
                if (!note.isEmpty() && !frame.contains(QStringLiteral("reason")))
                    frame.insert(QStringLiteral("reason"), note.left(512));
                const protocol::ParseResult parsed = protocol::parseClientFrame(
                    QJsonDocument(frame).toJson(QJsonDocument::Compact), protocol::ParseLimits{});
                if (!parsed.request)
                    return answer(ChatAnswer::failed(ErrorCode::BadRequest, parsed.error->message));
                const AnswerTo applied = [answer, markResolved](const ChatAnswer &result) {
                    if (result.error)
                        return answer(result); // nothing applied: the report stays open
                    markResolved(result.fields);
                };
                if (outcome == u"delete")
                    return remove(caller, found.resolverId, *parsed.request, applied);
                moderate(caller, found.resolverId, *parsed.request, applied);
            })
        .onFailed(this, [answer] {
            answer(ChatAnswer::failed(ErrorCode::Internal, QStringLiteral("retry")));
        });
}

} // namespace veza::chat
