#include "net/ws/FrameParser.h"

#include "net/ws/CloseCodes.h"

namespace veza::net::ws {

namespace {

constexpr qsizetype kMaxControlPayload = 125; // §5.5
// The per-thread scratch keeps its capacity for the next message unless a large message
// grew it past this; then it is freed so one big message does not pin memory for good.
constexpr qsizetype kScratchKeepBytes = 256 * 1024;

struct ErrorInfo
{
    quint16 code;
    const char *reason;
};

ErrorInfo errorInfo(FrameParser::Error error)
{
    using E = FrameParser::Error;
    switch (error) {
    case E::None:
        return {0, ""};
    case E::ReservedBits:
        return {CloseCode::ProtocolError, "reserved bits set but no extension negotiated"};
    case E::UnknownOpcode:
        return {CloseCode::ProtocolError, "unknown opcode"};
    case E::FragmentedControl:
        return {CloseCode::ProtocolError, "fragmented control frame"};
    case E::ControlTooLong:
        return {CloseCode::ProtocolError, "control frame payload over 125 bytes"};
    case E::Unmasked:
        return {CloseCode::ProtocolError, "client frame not masked"};
    case E::LengthHighBit:
        return {CloseCode::ProtocolError, "payload length has its most significant bit set"};
    case E::UnexpectedContinuation:
        return {CloseCode::ProtocolError, "continuation frame without a message to continue"};
    case E::MessageStillOpen:
        return {CloseCode::ProtocolError, "new message while a fragmented message is open"};
    case E::CloseLengthOne:
        return {CloseCode::ProtocolError, "close payload of 1 byte"};
    case E::InvalidCloseCode:
        return {CloseCode::ProtocolError, "invalid close code"};
    case E::InvalidCloseReason:
        return {CloseCode::InvalidPayload, "close reason is not valid UTF-8"};
    case E::InvalidUtf8:
        return {CloseCode::InvalidPayload, "text message is not valid UTF-8"};
    case E::TooBig:
        return {CloseCode::TooBig, "message too big"};
    }
    return {CloseCode::ProtocolError, "protocol error"};
}

QByteArray &threadScratch()
{
    thread_local QByteArray scratch;
    return scratch;
}

} // namespace

FrameParser::FrameParser(qsizetype maxMessageBytes)
    : m_maxMessageBytes(qMax<qsizetype>(maxMessageBytes, 0))
{
}

quint16 FrameParser::errorCode() const
{
    return errorInfo(m_error).code;
}

QByteArray FrameParser::errorReason() const
{
    return QByteArray(errorInfo(m_error).reason);
}

void FrameParser::releaseIdleMemory()
{
    if (m_buffer.isEmpty() || m_phase == Phase::Closed || m_phase == Phase::Failed)
        m_buffer = QByteArray();
}

bool FrameParser::feed(QByteArrayView data, FrameSink &sink)
{
    const char *p = data.data();
    const char *const end = p + data.size();
    for (;;) {
        switch (m_phase) {
        case Phase::Failed:
            return false;
        case Phase::Closed:
            return true;
        case Phase::Header:
            if (p == end)
                return true;
            if (!readHeaderByte(quint8(*p++)))
                return false;
            break;
        case Phase::Payload: {
            const qint64 available = end - p;
            if (m_frameRemaining > available) // the frame continues in a later feed
                return available == 0 || appendPayload(p, qsizetype(available));
            const qsizetype size = qsizetype(m_frameRemaining);
            const bool ok = m_frameBuffered ? appendPayload(p, size) && finishBufferedFrame(sink)
                                            : deliverWholeFrame(p, sink);
            p += size;
            if (!ok)
                return false;
            if (m_phase == Phase::Payload)
                startNextFrame();
            break;
        }
        }
    }
}

// The header is read a byte at a time so that any split works without a header buffer, and
// each rule fails at the first byte that breaks it (the size limit before any payload).
bool FrameParser::readHeaderByte(quint8 byte)
{
    const int index = m_headerRead++;
    if (index == 0) {
        if (byte & 0x70)
            return fail(Error::ReservedBits);
        const quint8 opcode = byte & 0x0F;
        if (!isKnownOpcode(opcode))
            return fail(Error::UnknownOpcode);
        m_frameOpcode = opcode;
        m_frameFin = (byte & 0x80) != 0;
        if (frameIsControl())
            return m_frameFin || fail(Error::FragmentedControl);
        if (Opcode(opcode) == Opcode::Continuation)
            return m_messageOpcode != 0 || fail(Error::UnexpectedContinuation);
        return m_messageOpcode == 0 || fail(Error::MessageStillOpen);
    }
    if (index == 1) {
        if (!(byte & 0x80))
            return fail(Error::Unmasked);
        const quint8 length = byte & 0x7F;
        if (length < 126) {
            m_frameRemaining = length;
            m_headerSize = 6;
            return checkPayloadLength();
        }
        m_frameRemaining = 0;
        m_headerSize = length == 126 ? 8 : 14; // 16-bit or 64-bit extended length
        return true;
    }
    const int lengthEnd = m_headerSize - 4; // the 4 mask bytes close the header
    if (index < lengthEnd) {
        if (index == 2 && m_headerSize == 14 && (byte & 0x80))
            return fail(Error::LengthHighBit);
        m_frameRemaining = (m_frameRemaining << 8) | byte; // < 2^63: the top bit is 0
        return index + 1 < lengthEnd || checkPayloadLength();
    }
    m_mask[index - lengthEnd] = byte;
    if (index + 1 == m_headerSize)
        startPayload();
    return true;
}

// Runs as soon as the length is known, so an oversized frame is refused from its header.
// Non-minimal length encodings are accepted: only the value matters.
bool FrameParser::checkPayloadLength()
{
    if (frameIsControl()) {
        if (m_frameRemaining > kMaxControlPayload)
            return fail(Error::ControlTooLong);
        if (Opcode(m_frameOpcode) == Opcode::Close && m_frameRemaining == 1)
            return fail(Error::CloseLengthOne);
        return true;
    }
    const bool continues = Opcode(m_frameOpcode) == Opcode::Continuation;
    const qint64 alreadyReceived = continues ? m_buffer.size() : 0;
    if (m_frameRemaining > m_maxMessageBytes - alreadyReceived)
        return fail(Error::TooBig);
    return true;
}

void FrameParser::startPayload()
{
    m_phase = Phase::Payload;
    m_frameBuffered = false;
    if (frameIsControl()) {
        m_controlSize = quint8(m_frameRemaining);
    } else if (Opcode(m_frameOpcode) != Opcode::Continuation) {
        m_messageOpcode = m_frameOpcode;
        m_utf8.reset();
    }
}

void FrameParser::startNextFrame()
{
    m_phase = Phase::Header;
    m_headerRead = 0;
    m_headerSize = 2;
    m_frameRemaining = 0;
}

// Unmasks part of the current frame's payload onto the end of the reassembly buffer. Text is
// validated right away so an invalid message fails at the fragment that makes it certain.
bool FrameParser::appendPayload(const char *data, qsizetype size)
{
    m_frameBuffered = true;
    if (size == 0)
        return true;
    const qsizetype oldSize = m_buffer.size();
    m_buffer.resize(oldSize + size); // grows geometrically, with what actually arrived
    char *dst = m_buffer.data() + oldSize;
    applyMask(dst, data, size, m_mask);
    m_mask = advanceMask(m_mask, size);
    m_frameRemaining -= size;
    const bool text = !frameIsControl() && Opcode(m_messageOpcode) == Opcode::Text;
    if (text && m_utf8.feed(QByteArrayView(dst, size)) == Utf8Validator::Result::Invalid)
        return fail(Error::InvalidUtf8);
    return true;
}

// The whole payload of a frame none of which is buffered is in the input: deliver it
// without touching the reassembly buffer when the frame is a message or a control frame on
// its own; fragments still go to the buffer.
bool FrameParser::deliverWholeFrame(const char *data, FrameSink &sink)
{
    const qsizetype size = qsizetype(m_frameRemaining);
    if (frameIsControl()) {
        char payload[kMaxControlPayload];
        applyMask(payload, data, size, m_mask);
        m_frameRemaining = 0;
        return deliverControl(QByteArrayView(payload, size), sink);
    }
    const bool singleFrameMessage = m_frameFin && Opcode(m_frameOpcode) != Opcode::Continuation;
    if (!singleFrameMessage)
        return appendPayload(data, size) && finishBufferedFrame(sink);

    m_frameRemaining = 0;
    if (size == 0)
        return deliverMessage(QByteArrayView(), sink);
    QByteArray &scratch = threadScratch();
    if (scratch.size() < size)
        scratch.resize(size);
    applyMask(scratch.data(), data, size, m_mask);
    const QByteArrayView payload(scratch.constData(), size);
    const bool text = Opcode(m_messageOpcode) == Opcode::Text;
    const bool ok = (!text || m_utf8.feed(payload) == Utf8Validator::Result::Valid)
                        ? deliverMessage(payload, sink)
                        : fail(Error::InvalidUtf8);
    if (scratch.capacity() > kScratchKeepBytes)
        scratch = QByteArray();
    return ok;
}

bool FrameParser::finishBufferedFrame(FrameSink &sink)
{
    if (frameIsControl()) {
        const qsizetype start = m_buffer.size() - m_controlSize;
        const bool ok = deliverControl(QByteArrayView(m_buffer).sliced(start), sink);
        if (ok) // on failure the buffer is already gone
            m_buffer.truncate(start);
        return ok;
    }
    if (!m_frameFin)
        return true;
    const bool ok = deliverMessage(m_buffer, sink);
    if (ok)
        m_buffer.resize(0); // keeps the capacity for the next message of this feed
    return ok;
}

bool FrameParser::deliverMessage(QByteArrayView payload, FrameSink &sink)
{
    const auto opcode = Opcode(m_messageOpcode);
    // A sequence still open at the end of the message is as invalid as a wrong byte.
    if (opcode == Opcode::Text && m_utf8.result() != Utf8Validator::Result::Valid)
        return fail(Error::InvalidUtf8);
    m_messageOpcode = 0;
    sink.onMessage(opcode, payload);
    return true;
}

bool FrameParser::deliverControl(QByteArrayView payload, FrameSink &sink)
{
    switch (Opcode(m_frameOpcode)) {
    case Opcode::Ping:
        sink.onPing(payload);
        return true;
    case Opcode::Pong:
        sink.onPong(payload);
        return true;
    case Opcode::Close:
        break;
    default:
        Q_UNREACHABLE();
    }
    quint16 code = CloseCode::NoStatus;
    QByteArrayView reason;
    if (!payload.isEmpty()) { // a 1-byte payload was refused from the header
        code = quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
        if (!isValidReceivedCloseCode(code))
            return fail(Error::InvalidCloseCode);
        reason = payload.sliced(2);
        if (!Utf8Validator::isValid(reason))
            return fail(Error::InvalidCloseReason);
    }
    m_phase = Phase::Closed;
    sink.onClose(code, reason);
    return true;
}

bool FrameParser::fail(Error error)
{
    m_error = error;
    m_phase = Phase::Failed;
    m_buffer = QByteArray();
    return false;
}

static_assert(sizeof(FrameParser) <= 56, "per-connection parser state should stay small");

} // namespace veza::net::ws
