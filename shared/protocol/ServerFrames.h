#pragma once

#include "protocol/ErrorCode.h"
#include "protocol/MessageType.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

// Encoders for the frames the server sends, so every answer has the documented shape
// (docs/protocol.md). Each returns compact JSON ready for a text frame; encode an event once
// and hand the same QByteArray to every recipient (implicit sharing: no copies).
namespace veza::protocol {

// {"type":"ack","id":...,<fields>}
QByteArray ackFrame(const QJsonValue &id, const QJsonObject &fields = {});
// When an `internal` error (the server's trouble: its database busy or down) tells the client
// to retry, unless `extra` says otherwise.
constexpr int kInternalRetryAfterMs = 1000;

// {"type":"error","id":...,"code":"...","message":"...",<extra>} (id omitted when unknown);
// `internal` errors also carry "retry_after_ms".
QByteArray errorFrame(const QJsonValue &id, ErrorCode code, const QString &message,
                      const QJsonObject &extra = {});
// {"type":"<type>",<fields>}
QByteArray eventFrame(MessageType type, const QJsonObject &fields = {});

} // namespace veza::protocol
