#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>

namespace veza::streaming {

// The deployment's other instances, as the streaming endpoints see them: who may carry a mount,
// and a stream carried elsewhere brought here for local listeners. cluster/ implements it over
// Redis (REDIS_URL); without it there is none and every mount is this instance's alone.
// Any thread: the answers come later (never from within the call), as a queued call to
// `context`'s thread, and not at all once `context` is gone.
class StreamCluster
{
public:
    virtual ~StreamCluster() = default;

    // Whether a source for `name` (stream `streamId`) may go live on this instance: false when
    // another instance holds the mount. Granted when the deployment cannot be asked (Redis
    // down): each instance then serves its own connections.
    virtual void claimMount(const QString &name, qint64 streamId, QObject *context,
                            std::function<void(bool granted)> done) = 0;
    // `name` is not live here: when another instance carries it, relays it into this
    // instance's hub and answers true once it is live here; false when no instance carries it.
    virtual void relayMount(const QString &name, QObject *context,
                            std::function<void(bool live)> done) = 0;
    // A new title for `name`, asked of an instance without its source (an encoder's
    // /admin/metadata through a load balancer): told to the instance holding the mount, whose
    // listeners and relays then hear it. False when no other instance holds it.
    virtual void retitle(const QString &name, const QByteArray &title, QObject *context,
                         std::function<void(bool told)> done) = 0;

protected:
    // Runs `done(value)` on `context`'s thread, unless `context` is gone.
    static void answer(const QPointer<QObject> &context, const std::function<void(bool)> &done,
                       bool value)
    {
        if (context)
            QMetaObject::invokeMethod(
                context.data(), [done, value] { done(value); }, Qt::QueuedConnection);
    }
};

} // namespace veza::streaming
