#pragma once

#include <QByteArrayView>
#include <QtGlobal>

namespace veza::net {

// An endpoint's side of one WebSocket (the chat, the liveness ping): it receives whole,
// validated messages; the connection below handles framing, control frames and closing.
class WebSocketSession
{
public:
    virtual ~WebSocketSession() = default;
    virtual void onText(QByteArrayView payload) = 0;
    virtual void onBinary(QByteArrayView payload) = 0;
    virtual void onPong() {}
    // Once a second, from the gateway's sweep: for deadlines (e.g. authenticate within 10 s)
    // without a timer per connection.
    virtual void onTick(qint64 nowMs) { Q_UNUSED(nowMs) }
};

} // namespace veza::net
