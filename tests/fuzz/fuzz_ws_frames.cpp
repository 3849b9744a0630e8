// Fuzz target: the WebSocket frame parser (client to server frames, RFC 6455 §5). The bytes are
// fed once whole and once in pieces: the messages, control frames and the verdict must be the
// same, since TCP may cut frames anywhere. What the parser delivers must keep its promises:
// text is valid UTF-8, close codes are valid, nothing exceeds the limits.
#include "FuzzSupport.h"
#include "net/ws/FrameParser.h"

#include <QStringDecoder>

using namespace veza::net::ws;

namespace {

constexpr qsizetype kMaxMessageBytes = 1024;

bool isUtf8ForQt(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(bytes);
    return !decoder.hasError();
}

// Everything the parser hands its sink, as one comparable transcript.
class Transcript final : public FrameSink
{
public:
    QByteArray log;

    void onMessage(Opcode opcode, QByteArrayView payload) override
    {
        FUZZ_CHECK(opcode == Opcode::Text || opcode == Opcode::Binary);
        FUZZ_CHECK(payload.size() <= kMaxMessageBytes);
        if (opcode == Opcode::Text)
            FUZZ_CHECK(Utf8Validator::isValid(payload) && isUtf8ForQt(payload));
        record(opcode == Opcode::Text ? 'T' : 'B', payload);
    }
    void onPing(QByteArrayView payload) override
    {
        FUZZ_CHECK(payload.size() <= 125);
        record('P', payload);
    }
    void onPong(QByteArrayView payload) override
    {
        FUZZ_CHECK(payload.size() <= 125);
        record('O', payload);
    }
    void onClose(quint16 code, QByteArrayView reason) override
    {
        FUZZ_CHECK(code == CloseCode::NoStatus || isValidReceivedCloseCode(code));
        FUZZ_CHECK(reason.size() <= 123 && Utf8Validator::isValid(reason));
        record('C', QByteArray(QByteArray::number(code) + ':' + reason.toByteArray()));
    }

private:
    void record(char kind, QByteArrayView payload)
    {
        log += kind + QByteArray::number(payload.size()) + ':' + payload.toByteArray() + ';';
    }
};

QByteArray parse(QByteArrayView data, bool inPieces)
{
    FrameParser parser(kMaxMessageBytes);
    Transcript transcript;
    bool failed = false;
    auto feed = [&](QByteArrayView piece) {
        const bool ok = parser.feed(piece, transcript);
        FUZZ_CHECK(ok != parser.failed());
        FUZZ_CHECK(!failed || !ok); // a failure is final
        failed = !ok;
        parser.releaseIdleMemory(); // as the connection does after each read
    };
    if (inPieces)
        veza::fuzz::forEachPiece(data, 11, feed);
    else
        feed(data);
    if (parser.failed())
        FUZZ_CHECK(parser.errorCode() == CloseCode::ProtocolError ||
                   parser.errorCode() == CloseCode::InvalidPayload ||
                   parser.errorCode() == CloseCode::TooBig);
    if (parser.failed() || parser.closeReceived())
        FUZZ_CHECK(parser.bufferedBytes() == 0);
    return transcript.log + "|error:" + QByteArray::number(int(parser.error())) +
           "|closed:" + QByteArray::number(parser.closeReceived());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    veza::fuzz::quietQtLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView data(bytes, qsizetype(size));
    FUZZ_CHECK(parse(data, false) == parse(data, true));
    return 0;
}
