#pragma once

#include "crypto/KeyRing.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>
#include <memory>
#include <optional>

struct evp_cipher_st;

namespace veza::crypto {

// MessageCipher: seals and opens data at rest (chat message bodies first) with AES-256-GCM.
//
// Each encrypt() uses the key ring's current key and a fresh random 96-bit nonce, and returns
// the key id, the nonce and ciphertext||tag as three values, stored in the messages table's
// key_id, nonce and body columns. decrypt() picks the key by the stored id, so rows sealed
// before a key rotation stay readable while the old key remains in the ring.
//
// Associated data is authenticated but not stored: the caller passes what identifies the row
// (messageAssociatedData(roomId, seq)), so a ciphertext copied or moved to another row fails
// to open instead of showing one room's message in another.
//
// Thread-safety: all operations are const and may run concurrently from any number of threads
// (the database worker pool). Each call creates its own EVP_CIPHER_CTX; the only shared state
// is the immutable KeyRing and the fetched AES-256-GCM algorithm object, which OpenSSL 3
// documents as safe to share once fetched. Nothing here logs, and no error names a key.
class MessageCipher
{
public:
    static constexpr qsizetype NonceSize = 12;
    static constexpr qsizetype TagSize = 16;

    enum class Error {
        UnknownKey, // the key id is not in the ring (a key retired too early, or a foreign row)
        Tampered,   // authentication failed: wrong row, altered bytes, or malformed nonce/body
        Internal,   // OpenSSL could not run (no randomness, allocation failure, no provider)
    };

    struct Sealed
    {
        QString keyId;         // KeyRing::keyIdFor of the key used   -> messages.key_id
        QByteArray nonce;      // NonceSize random bytes               -> messages.nonce
        QByteArray ciphertext; // ciphertext followed by TagSize bytes -> messages.body
    };

    explicit MessageCipher(KeyRing keys);
    ~MessageCipher();
    MessageCipher(const MessageCipher &) = delete;
    MessageCipher &operator=(const MessageCipher &) = delete;

    const KeyRing &keyRing() const { return m_keys; }

    std::optional<Sealed> encrypt(const QByteArray &plaintext, const QByteArray &associatedData,
                                  Error *error = nullptr) const;
    std::optional<QByteArray> decrypt(const Sealed &sealed, const QByteArray &associatedData,
                                      Error *error = nullptr) const;

    // The associated data that binds a chat message to its row: a version label and the room id
    // and per-room sequence number as fixed-width big-endian integers, so no two (room, seq)
    // pairs encode alike. seq rather than the row id because it is known before the INSERT.
    static QByteArray messageAssociatedData(qint64 roomId, qint64 seq);

    static QString errorName(Error error); // "unknown_key", "tampered", "internal"

private:
    struct CipherFree
    {
        void operator()(evp_cipher_st *cipher) const;
    };

    KeyRing m_keys;
    std::unique_ptr<evp_cipher_st, CipherFree> m_cipher; // null if the provider lacks AES-GCM
};

} // namespace veza::crypto
