#pragma once

#include <QObject>
#include <functional>

namespace veza::net {

// Runs a function when its parent object is destroyed. Unlike a connection to
// QObject::destroyed, a child cannot be cut off by the parent's owner calling disconnect()
// on it (QWebSocketServer does exactly that to the sockets it upgrades).
class DestructionHook final : public QObject
{
public:
    DestructionHook(QObject *parent, std::function<void()> onDestroyed)
        : QObject(parent)
        , m_onDestroyed(std::move(onDestroyed))
    {
    }
    ~DestructionHook() override
    {
        if (m_onDestroyed)
            m_onDestroyed();
    }

private:
    std::function<void()> m_onDestroyed;
};

} // namespace veza::net
