#include "net/ws/FrameWriter.h"

#include "net/ws/CloseCodes.h"
#include "net/ws/Masking.h"

#include <cstring>

namespace veza::net::ws {

namespace {

constexpr qsizetype kMaxCloseReason = 123; // 125-byte control payload minus the code
constexpr int kMaxHeaderSize = 14;

// Writes the header for `payloadSize` into `header` and returns its size.
int writeHeader(char *header, Opcode opcode, qsizetype payloadSize, bool fin, bool masked)
{
    header[0] = char((fin ? 0x80 : 0x00) | quint8(opcode));
    const quint8 maskBit = masked ? 0x80 : 0x00;
    if (payloadSize < 126) {
        header[1] = char(maskBit | quint8(payloadSize));
        return 2;
    }
    if (payloadSize <= 0xFFFF) {
        header[1] = char(maskBit | 126);
        header[2] = char(payloadSize >> 8);
        header[3] = char(payloadSize);
        return 4;
    }
    header[1] = char(maskBit | 127);
    const auto size = quint64(payloadSize);
    for (int i = 0; i < 8; ++i)
        header[2 + i] = char(size >> (56 - 8 * i));
    return 10;
}

} // namespace

qsizetype frameHeaderSize(qsizetype payloadSize)
{
    if (payloadSize < 126)
        return 2;
    return payloadSize <= 0xFFFF ? 4 : 10;
}

void appendFrame(QByteArray &out, Opcode opcode, QByteArrayView payload, bool fin)
{
    char header[kMaxHeaderSize];
    const int headerSize = writeHeader(header, opcode, payload.size(), fin, false);
    out.append(header, headerSize);
    out.append(payload);
}

QByteArray frame(Opcode opcode, QByteArrayView payload)
{
    QByteArray out;
    out.reserve(frameHeaderSize(payload.size()) + payload.size());
    appendFrame(out, opcode, payload);
    return out;
}

QByteArrayView truncateUtf8(QByteArrayView reason, qsizetype maxBytes)
{
    if (reason.size() <= maxBytes)
        return reason;
    // If the first byte left out is a continuation byte, its character started inside the
    // kept part: cut before that character's lead byte.
    qsizetype cut = maxBytes;
    while (cut > 0 && (quint8(reason[cut]) & 0xC0) == 0x80)
        --cut;
    return reason.first(cut);
}

QByteArray closeFrame(quint16 code, QByteArrayView reason)
{
    if (code == CloseCode::NoStatus)
        return frame(Opcode::Close, {});
    const QByteArrayView kept = truncateUtf8(reason, kMaxCloseReason);
    char payload[2 + kMaxCloseReason];
    payload[0] = char(code >> 8);
    payload[1] = char(code);
    if (!kept.isEmpty())
        std::memcpy(payload + 2, kept.data(), size_t(kept.size()));
    return frame(Opcode::Close, QByteArrayView(payload, 2 + kept.size()));
}

QByteArray maskedFrame(Opcode opcode, QByteArrayView payload, quint32 maskKey, bool fin)
{
    char header[kMaxHeaderSize];
    int headerSize = writeHeader(header, opcode, payload.size(), fin, true);
    const MaskKey key{quint8(maskKey >> 24), quint8(maskKey >> 16), quint8(maskKey >> 8),
                      quint8(maskKey)};
    for (quint8 byte : key)
        header[headerSize++] = char(byte);
    QByteArray out(headerSize + payload.size(), Qt::Uninitialized);
    std::memcpy(out.data(), header, size_t(headerSize));
    applyMask(out.data() + headerSize, payload.data(), payload.size(), key);
    return out;
}

} // namespace veza::net::ws
