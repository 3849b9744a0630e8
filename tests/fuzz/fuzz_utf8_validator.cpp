// Fuzz target: the incremental UTF-8 validator of WebSocket text (RFC 3629 §4). Its verdict must
// not depend on where the text was cut, and must agree with Qt's own UTF-8 decoder, written
// independently: valid text decodes without error and encodes back to the same bytes.
#include "FuzzSupport.h"
#include "net/ws/Utf8Validator.h"

#include <QStringDecoder>

using veza::net::ws::Utf8Validator;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    veza::fuzz::quietQtLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView data(bytes, qsizetype(size));
    Utf8Validator whole;
    const Utf8Validator::Result verdict = whole.feed(data);

    Utf8Validator pieces;
    Utf8Validator::Result last = Utf8Validator::Result::Valid;
    veza::fuzz::forEachPiece(data, 9, [&](QByteArrayView piece) {
        const Utf8Validator::Result now = pieces.feed(piece);
        FUZZ_CHECK(last != Utf8Validator::Result::Invalid || now == last); // sticky
        last = now;
    });
    FUZZ_CHECK(last == verdict && pieces.result() == verdict);

    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                     QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder(data);
    const bool valid = verdict == Utf8Validator::Result::Valid;
    FUZZ_CHECK(valid == !decoder.hasError());
    if (valid)
        FUZZ_CHECK(text.toUtf8() == data);
    FUZZ_CHECK(Utf8Validator::isValid(data) == valid);
    return 0;
}
