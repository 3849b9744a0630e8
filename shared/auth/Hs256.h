#pragma once

#include <QByteArray>
#include <QByteArrayView>

// HMAC-SHA256 (JWS "HS256") and a comparison that does not leak where two MACs differ.
// Stateless; callable from any thread.
namespace veza::auth {

constexpr qsizetype kHs256Size = 32;

// The 32-byte MAC of `data` under `key`, or an empty array if OpenSSL fails (or the key is
// too long for its int-sized length).
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);

// Constant time in the content (not the length): a forger learns nothing from timing about
// how many leading bytes of a guessed signature were right.
bool equalConstantTime(QByteArrayView a, QByteArrayView b);

} // namespace veza::auth
