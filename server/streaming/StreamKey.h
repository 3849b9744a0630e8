#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace veza::streaming {

// Stream keys: the secret a broadcaster's encoder presents to publish to a mount.
//
// A key is "vzs_" followed by 32 random bytes from the system CSPRNG in base64url without
// padding (47 characters in all). Only its SHA-256 (lowercase hex) is stored: a key carries
// 256 bits of entropy, so a fast hash cannot be brute-forced and a slow password hash would
// only cost CPU on every ingest connection. Free functions, any thread.
class StreamKey
{
public:
    StreamKey() = delete;

    static constexpr QByteArrayView prefix{"vzs_"};
    static constexpr qsizetype randomBytes = 32;
    static constexpr qsizetype keyLength = 4 + 43; // prefix + base64url(32 bytes), no padding

    static QByteArray generate();
    // The stored form: SHA-256 of the whole key (prefix included), 64 lowercase hex digits.
    static QByteArray hash(QByteArrayView key);
    // Whether `key` hashes to `storedHash`, compared in constant time (CRYPTO_memcmp). A
    // malformed key or hash never verifies.
    static bool verify(QByteArrayView key, QByteArrayView storedHash);
    // The shape of a key (prefix, length, alphabet); says nothing about validity.
    static bool isWellFormed(QByteArrayView key);
};

} // namespace veza::streaming
