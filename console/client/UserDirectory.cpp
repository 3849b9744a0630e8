#include "UserDirectory.h"

#include "ApiClient.h"

#include <QJsonArray>
#include <QUrlQuery>

namespace veza::console {
namespace {

QList<QJsonObject> objects(const QJsonArray &array)
{
    QList<QJsonObject> rows;
    for (const QJsonValue &value : array)
        rows.append(value.toObject());
    return rows;
}

QString sanctionsText(const QJsonObject &user)
{
    QStringList parts;
    for (const QJsonValue &s : user.value(u"sanctions").toArray()) {
        const QString room = s[u"room"].toString();
        parts << (room.isEmpty() ? UserDirectory::tr("%1 (server)").arg(s[u"kind"].toString())
                                 : UserDirectory::tr("%1 in %2").arg(s[u"kind"].toString(), room));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

UserDirectory::UserDirectory(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_users(
          QStringLiteral("user"),
          {JsonTableModel::text([] { return tr("User"); }, QStringLiteral("user")),
           JsonTableModel::text([] { return tr("Name"); }, QStringLiteral("name")),
           JsonTableModel::text([] { return tr("Online"); }, QStringLiteral("online")),
           JsonTableModel::text([] { return tr("Messages"); }, QStringLiteral("messages")),
           JsonTableModel::time([] { return tr("Last seen"); }, QStringLiteral("last_seen")),
           {[] { return tr("Sanctions"); }, [](const QJsonObject &u) { return sanctionsText(u); }}})
    , m_messages(QStringLiteral("message_id"),
                 {JsonTableModel::time([] { return tr("Time"); }, QStringLiteral("created_at")),
                  JsonTableModel::text([] { return tr("Room"); }, QStringLiteral("room")),
                  JsonTableModel::text([] { return tr("Message"); }, QStringLiteral("body"))})
    , m_sanctions(QStringLiteral("scope"),
                  {{[] { return tr("Kind"); },
                    [](const QJsonObject &s) { return s.value(u"kind").toString(); }},
                   {[] { return tr("Where"); },
                    [](const QJsonObject &s) {
                        const QString room = s.value(u"room").toString();
                        return room.isEmpty() ? tr("the whole server") : room;
                    }},
                   JsonTableModel::time([] { return tr("Until"); }, QStringLiteral("until")),
                   JsonTableModel::text([] { return tr("Reason"); }, QStringLiteral("reason"))})
    , m_history(QStringLiteral("id"),
                {JsonTableModel::time([] { return tr("When"); }, QStringLiteral("created_at")),
                 JsonTableModel::text([] { return tr("Action"); }, QStringLiteral("action")),
                 JsonTableModel::text([] { return tr("Room"); }, QStringLiteral("room")),
                 JsonTableModel::text([] { return tr("Reason"); }, QStringLiteral("reason"))})
{
}

void UserDirectory::search(const QString &query)
{
    QUrlQuery params(QStringLiteral("limit=200"));
    if (!query.isEmpty())
        params.addQueryItem(QStringLiteral("query"), query);
    m_api->get(QStringLiteral("/api/users"), params, this, [this](const ApiResult &result) {
        if (!result.ok())
            return Q_EMIT failed(result.error);
        m_users.replace(objects(result.body.value(u"users").toArray()));
    });
}

void UserDirectory::open(const QString &user)
{
    m_api->get(
        QStringLiteral("/api/users/%1").arg(QString::fromLatin1(QUrl::toPercentEncoding(user))), {},
        this, [this](const ApiResult &result) {
            if (!result.ok())
                return Q_EMIT failed(result.error);
            m_profile = result.body;
            QList<QJsonObject> sanctions = objects(result.body.value(u"sanctions").toArray());
            for (QJsonObject &s : sanctions) // one per scope: the room, or the server
                s.insert(QStringLiteral("scope"), s.value(u"room").toString());
            m_sanctions.replace(sanctions);
            m_messages.replace(objects(result.body.value(u"recent_messages").toArray()));
            m_history.replace(objects(result.body.value(u"moderation_history").toArray()));
            Q_EMIT profileChanged();
        });
}

void UserDirectory::clear()
{
    m_profile = {};
    m_sanctions.clear();
    m_messages.clear();
    m_history.clear();
    Q_EMIT profileChanged();
}

void UserDirectory::lift(const QString &room, const QString &reason,
                         std::function<void(const QString &)> done)
{
    const QString user = m_profile.value(u"user").toString();
    QJsonObject action{{QStringLiteral("action"), QStringLiteral("unban")},
                       {QStringLiteral("user"), user},
                       {QStringLiteral("reason"), reason}};
    if (!room.isEmpty())
        action.insert(QStringLiteral("room"), room);
    m_api->send("POST", QStringLiteral("/api/moderation/actions"), action, this,
                [this, user, done](const ApiResult &result) {
                    if (done)
                        done(result.ok() ? QString() : result.error);
                    open(user);
                });
}

} // namespace veza::console
