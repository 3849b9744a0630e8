// Helpers shared by the frame tests: a sink that records what the parser delivers, and
// feeding a parser whole, byte by byte or in chunks.
#pragma once

#include "net/ws/FrameParser.h"
#include "net/ws/FrameWriter.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace veza::net::ws::testing {

// The RFC 6455 §5.7 example key: 0x37 0xfa 0x21 0x3d.
constexpr quint32 kRfcMask = 0x37fa213d;

struct Event
{
    enum Kind { Message, Ping, Pong, Close } kind;
    Opcode opcode = Opcode::Continuation; // Message only
    QByteArray payload;                   // the message, ping/pong payload or close reason
    quint16 code = 0;                     // Close only
};

class RecordingSink : public FrameSink
{
public:
    QList<Event> events;

    void onMessage(Opcode opcode, QByteArrayView payload) override
    {
        events.append({Event::Message, opcode, payload.toByteArray(), 0});
    }
    void onPing(QByteArrayView payload) override
    {
        events.append({Event::Ping, Opcode::Ping, payload.toByteArray(), 0});
    }
    void onPong(QByteArrayView payload) override
    {
        events.append({Event::Pong, Opcode::Pong, payload.toByteArray(), 0});
    }
    void onClose(quint16 code, QByteArrayView reason) override
    {
        events.append({Event::Close, Opcode::Close, reason.toByteArray(), code});
    }

    // A readable summary for QCOMPARE: "text:Hello", "ping:", "close:1000:bye".
    QStringList log() const
    {
        QStringList lines;
        for (const Event &event : events) {
            const QString payload = QString::fromUtf8(event.payload);
            switch (event.kind) {
            case Event::Message:
                lines << (event.opcode == Opcode::Text ? QStringLiteral("text:")
                                                       : QStringLiteral("binary:")) +
                             payload;
                break;
            case Event::Ping:
                lines << QStringLiteral("ping:") + payload;
                break;
            case Event::Pong:
                lines << QStringLiteral("pong:") + payload;
                break;
            case Event::Close:
                lines << QStringLiteral("close:%1:%2").arg(event.code).arg(payload);
                break;
            }
        }
        return lines;
    }
};

// const QByteArray & (not a view) so that concatenations convert in one step.
inline QByteArray masked(Opcode opcode, const QByteArray &payload, bool fin = true)
{
    return maskedFrame(opcode, payload, kRfcMask, fin);
}

inline bool feedByteByByte(FrameParser &parser, QByteArrayView bytes, FrameSink &sink)
{
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (!parser.feed(bytes.sliced(i, 1), sink))
            return false;
    }
    return true;
}

inline bool feedInChunks(FrameParser &parser, QByteArrayView bytes, qsizetype chunk,
                         FrameSink &sink)
{
    for (qsizetype i = 0; i < bytes.size(); i += chunk) {
        if (!parser.feed(bytes.sliced(i, qMin(chunk, bytes.size() - i)), sink))
            return false;
    }
    return true;
}

} // namespace veza::net::ws::testing
