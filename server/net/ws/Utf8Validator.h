// Utf8Validator: incremental UTF-8 validation (RFC 3629 §4) for text messages that arrive in
// pieces (fragments, partial frames). One byte of state; invalid input is detected at the
// first byte that makes it certain (overlongs, surrogates and code points above U+10FFFF are
// rejected at their second byte), as RFC 6455 §8.1 and the Autobahn suite expect.
#pragma once

#include <QByteArrayView>

namespace veza::net::ws {

class Utf8Validator
{
public:
    enum class Result {
        Valid,      // everything fed so far is complete, valid UTF-8
        Incomplete, // a valid prefix: a multi-byte sequence is still open
        Invalid,    // sticky until reset()
    };

    Result feed(QByteArrayView bytes);
    Result result() const;
    void reset() { m_state = 0; }

    static bool isValid(QByteArrayView bytes);

private:
    quint8 m_state = 0; // see the State enum in Utf8Validator.cpp; 0 = between characters
};

} // namespace veza::net::ws
