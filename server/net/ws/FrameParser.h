// FrameParser: decodes the frames a WebSocket client sends (RFC 6455 §5), enforcing every
// rule a server must: masking, reserved bits, opcodes, control-frame limits, fragmentation
// order, message size and UTF-8 of text and close reasons.
//
// Memory: the parser is 56 bytes and holds heap memory only while a frame or a fragmented
// message is incomplete. A message that arrives as one whole frame within one feed() is
// unmasked into a per-thread scratch buffer (shared by every connection of the thread) and
// delivered from there, so the common path costs no per-connection allocation. Partial
// frames and fragments are unmasked as they arrive into the connection's reassembly buffer,
// which grows with the bytes actually received (never with the length a header announces).
#pragma once

#include "net/ws/FrameSink.h"
#include "net/ws/Masking.h"
#include "net/ws/Utf8Validator.h"

#include <QByteArray>

namespace veza::net::ws {

class FrameParser
{
public:
    explicit FrameParser(qsizetype maxMessageBytes = 64 * 1024);

    // Decodes client->server frames from `data`, which may be split anywhere (byte by byte
    // works). Returns false on a protocol violation: errorCode()/errorReason() then tell what
    // to close with, and every later feed() returns false. The sink may be called several
    // times per feed. After a close frame, the rest of the input is ignored.
    bool feed(QByteArrayView data, FrameSink &sink);

    bool failed() const { return m_phase == Phase::Failed; }
    bool closeReceived() const { return m_phase == Phase::Closed; }
    // The close code for the violation (1002, 1007 or 1009); 0 while there is none.
    quint16 errorCode() const;
    QByteArray errorReason() const;

    // Heap bytes retained between feeds (the reassembly buffer's capacity), for memory
    // accounting. 0 once releaseIdleMemory() ran with no frame or message in progress.
    qsizetype bufferedBytes() const { return m_buffer.capacity(); }
    // Frees the reassembly buffer when it holds nothing in progress. The buffer keeps its
    // capacity between the messages of one feed; the connection calls this after each feed.
    void releaseIdleMemory();

    enum class Error : quint8 {
        None,
        ReservedBits,
        UnknownOpcode,
        FragmentedControl,
        ControlTooLong,
        Unmasked,
        LengthHighBit,
        UnexpectedContinuation,
        MessageStillOpen,
        CloseLengthOne,
        InvalidCloseCode,
        InvalidCloseReason,
        InvalidUtf8,
        TooBig,
    };
    Error error() const { return m_error; }

private:
    enum class Phase : quint8 { Header, Payload, Closed, Failed };

    bool readHeaderByte(quint8 byte);
    bool checkPayloadLength();
    void startPayload();
    bool appendPayload(const char *data, qsizetype size);
    bool deliverWholeFrame(const char *data, FrameSink &sink);
    bool finishBufferedFrame(FrameSink &sink);
    bool deliverControl(QByteArrayView payload, FrameSink &sink);
    bool deliverMessage(QByteArrayView payload, FrameSink &sink);
    bool fail(Error error);
    void startNextFrame();
    bool frameIsControl() const { return isControl(Opcode(m_frameOpcode)); }

    // Unmasked payload of the open fragmented message (or of the partial single-frame
    // message), followed by the received part of a partial control frame.
    QByteArray m_buffer;
    qint64 m_maxMessageBytes;
    // Payload bytes of the current frame still to come. While the header is read, the
    // extended length accumulates here.
    qint64 m_frameRemaining = 0;
    MaskKey m_mask{};     // key for the next payload byte (rotated as bytes are consumed)
    Utf8Validator m_utf8; // across the fragments of the current text message
    Phase m_phase = Phase::Header;
    Error m_error = Error::None;
    quint8 m_headerRead = 0; // header bytes consumed so far
    quint8 m_headerSize = 2; // known once the second byte is read: 6, 8 or 14
    quint8 m_frameOpcode = 0;
    bool m_frameFin = false;
    bool m_frameBuffered = false; // part of the current frame's payload is in m_buffer
    quint8 m_messageOpcode = 0;   // Text/Binary while a data message is in progress, else 0
    quint8 m_controlSize = 0;     // payload size of the current control frame
};

} // namespace veza::net::ws
