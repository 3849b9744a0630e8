// FrameSink: what FrameParser hands its decoded messages and control frames to (usually the
// connection). Payload views point into parser-owned or per-thread memory and are valid only
// during the call; copy what must outlive it. Do not call FrameParser::feed from a callback.
#pragma once

#include "net/ws/CloseCodes.h"
#include "net/ws/Opcode.h"

#include <QByteArrayView>

namespace veza::net::ws {

class FrameSink
{
public:
    virtual ~FrameSink() = default;
    // A whole message (Text or Binary), reassembled if it was fragmented. Text is valid UTF-8.
    virtual void onMessage(Opcode opcode, QByteArrayView payload) = 0;
    virtual void onPing(QByteArrayView payload) = 0;
    virtual void onPong(QByteArrayView payload) = 0;
    // code is CloseCode::NoStatus (1005) when the frame had no payload; code and reason
    // (UTF-8) are validated. The parser ignores everything the client sends after it.
    virtual void onClose(quint16 code, QByteArrayView reason) = 0;
};

} // namespace veza::net::ws
