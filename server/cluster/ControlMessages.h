#pragma once

#include "chat/ChatRelay.h"
#include "chat/ModerationNotice.h"

#include <QByteArray>
#include <optional>

namespace veza::cluster {

// The messages of the deployment's control channel (veza:chat:control), which every instance
// hears: moderation outcomes each instance applies to the sessions it holds, new members of
// rooms, and users who have spent their shared request budget. Each payload is "<instance>
// <kind>\n<JSON body>", so an instance skips its own. Pure functions, any thread.
class ControlMessages
{
public:
    static const QByteArray kChannel;
    static const QByteArray kModeration;
    static const QByteArray kRate;
    static const QByteArray kMembers;

    struct Envelope
    {
        QByteArray instanceId;
        QByteArray kind;
        QByteArray body;
    };
    struct RateLimit
    {
        qint64 userId = 0;
        double tokens = 0; // what is left of the user's shared budget
    };

    static QByteArray envelope(const QByteArray &instanceId, const QByteArray &kind,
                               const QByteArray &body);
    static std::optional<Envelope> open(const QByteArray &payload);

    static QByteArray moderation(const chat::ModerationNotice &notice);
    static std::optional<chat::ModerationNotice> moderationOf(const QByteArray &body);
    static QByteArray members(const chat::NewMembers &members);
    static std::optional<chat::NewMembers> membersOf(const QByteArray &body);
    static QByteArray rate(const RateLimit &limit);
    static std::optional<RateLimit> rateOf(const QByteArray &body);
};

} // namespace veza::cluster
