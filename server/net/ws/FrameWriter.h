// Encoding of frames (RFC 6455 §5.2). Server->client frames are never masked (§5.1);
// maskedFrame() builds client->server frames for tests and benchmark clients.
#pragma once

#include "net/ws/Opcode.h"

#include <QByteArray>
#include <QByteArrayView>

namespace veza::net::ws {

// 2, 4 or 10: the unmasked header size for a payload of that many bytes.
qsizetype frameHeaderSize(qsizetype payloadSize);

// Appends one unmasked frame to `out` (which grows geometrically, so batching is cheap).
void appendFrame(QByteArray &out, Opcode opcode, QByteArrayView payload, bool fin = true);
QByteArray frame(Opcode opcode, QByteArrayView payload);

// A close frame with `code` and `reason`, the reason cut at a UTF-8 character boundary to fit
// the 125-byte control payload. CloseCode::NoStatus (1005) must never be sent, so it gives
// an empty close payload (the usual echo of a close that carried no code).
QByteArray closeFrame(quint16 code, QByteArrayView reason = {});
// The longest prefix of `reason` of at most maxBytes that does not split a UTF-8 character.
QByteArrayView truncateUtf8(QByteArrayView reason, qsizetype maxBytes);

// A client->server frame masked with maskKey (its big-endian bytes are the wire key).
QByteArray maskedFrame(Opcode opcode, QByteArrayView payload, quint32 maskKey, bool fin = true);

} // namespace veza::net::ws
