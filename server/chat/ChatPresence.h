#pragma once

#include <QtGlobal>
#include <functional>
#include <optional>

namespace veza::chat {

// Who is online across the deployment's instances (REDIS_URL; none when the server runs
// alone): told of every chat session that opens or closes here, it answers with the user's
// sessions on the other instances, so presence events say "online" on the first session
// anywhere and "offline" after the last one, and MAX_CONNECTIONS_PER_USER counts them all.
// Never waits: when the other instances cannot be asked, the answer is 0 at once (this
// instance's own view). Answers run on the chat thread.
class ChatPresence
{
public:
    using Elsewhere = std::function<void(int sessionsElsewhere)>;

    virtual ~ChatPresence() = default;

    virtual void opened(qint64 userId, Elsewhere answer) = 0;
    virtual void closed(qint64 userId, Elsewhere answer) = 0;
    // Distinct users online on every instance, if known lately.
    virtual std::optional<qint64> deploymentUsers() const = 0;
};

} // namespace veza::chat
