#include "crypto/MessageCipher.h"

#include <QtEndian>
#include <algorithm>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace veza::crypto {

namespace {

struct CtxFree
{
    void operator()(EVP_CIPHER_CTX *ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

// EVP takes int lengths while QByteArray sizes are qsizetype, so feed large inputs in pieces.
// GCM is a stream mode: each update writes exactly as many bytes as it reads.
constexpr qsizetype kMaxChunk = qsizetype(1) << 30;

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

bool addAssociatedData(EVP_CIPHER_CTX *ctx, const QByteArray &data, bool encrypting)
{
    for (qsizetype offset = 0; offset < data.size(); offset += kMaxChunk) {
        const int length = static_cast<int>(std::min(kMaxChunk, data.size() - offset));
        int written = 0;
        const int ok =
            encrypting ? EVP_EncryptUpdate(ctx, nullptr, &written, bytes(data) + offset, length)
                       : EVP_DecryptUpdate(ctx, nullptr, &written, bytes(data) + offset, length);
        if (ok != 1)
            return false;
    }
    return true;
}

bool transform(EVP_CIPHER_CTX *ctx, const unsigned char *in, qsizetype size, unsigned char *out,
               bool encrypting)
{
    for (qsizetype offset = 0; offset < size; offset += kMaxChunk) {
        const int length = static_cast<int>(std::min(kMaxChunk, size - offset));
        int written = 0;
        const int ok = encrypting
                           ? EVP_EncryptUpdate(ctx, out + offset, &written, in + offset, length)
                           : EVP_DecryptUpdate(ctx, out + offset, &written, in + offset, length);
        if (ok != 1 || written != length)
            return false;
    }
    return true;
}

} // namespace

void MessageCipher::CipherFree::operator()(evp_cipher_st *cipher) const
{
    EVP_CIPHER_free(cipher);
}

MessageCipher::MessageCipher(KeyRing keys)
    : m_keys(std::move(keys))
    // Fetched once: the implicit fetch behind EVP_aes_256_gcm() would repeat a provider
    // lookup on every message.
    , m_cipher(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr))
{
}

MessageCipher::~MessageCipher() = default;

std::optional<MessageCipher::Sealed> MessageCipher::encrypt(const QByteArray &plaintext,
                                                            const QByteArray &associatedData,
                                                            Error *error) const
{
    auto fail = [error]() -> std::optional<Sealed> {
        if (error)
            *error = Error::Internal;
        return std::nullopt;
    };

    const KeyRing::Entry *key = m_keys.current();
    if (!key || !m_cipher)
        return fail();

    Sealed sealed;
    sealed.keyId = key->id;
    sealed.nonce = QByteArray(NonceSize, Qt::Uninitialized);
    // Random nonces are safe for up to 2^32 messages per key (NIST SP 800-38D); rotation
    // (docs/encryption.md) keeps a key well below that.
    auto *nonce = reinterpret_cast<unsigned char *>(sealed.nonce.data());
    if (RAND_bytes(nonce, static_cast<int>(NonceSize)) != 1)
        return fail();

    CtxPtr ctx(EVP_CIPHER_CTX_new());
    // The default GCM IV length is 12 bytes, the NonceSize, so key and nonce go in at once.
    if (!ctx ||
        EVP_EncryptInit_ex2(ctx.get(), m_cipher.get(), key->key.data(), nonce, nullptr) != 1)
        return fail();
    if (!addAssociatedData(ctx.get(), associatedData, true))
        return fail();

    sealed.ciphertext = QByteArray(plaintext.size() + TagSize, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(sealed.ciphertext.data());
    int finalBytes = 0;
    if (!transform(ctx.get(), bytes(plaintext), plaintext.size(), out, true) ||
        EVP_EncryptFinal_ex(ctx.get(), out + plaintext.size(), &finalBytes) != 1 ||
        finalBytes != 0 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(TagSize),
                            out + plaintext.size()) != 1)
        return fail();
    return sealed;
}

std::optional<QByteArray>
MessageCipher::decrypt(const Sealed &sealed, const QByteArray &associatedData, Error *error) const
{
    auto fail = [error](Error reason) -> std::optional<QByteArray> {
        if (error)
            *error = reason;
        return std::nullopt;
    };

    const KeyRing::Entry *key = m_keys.find(sealed.keyId);
    if (!key)
        return fail(Error::UnknownKey);
    // A nonce or body of the wrong shape can only come from a damaged or forged row.
    if (sealed.nonce.size() != NonceSize || sealed.ciphertext.size() < TagSize)
        return fail(Error::Tampered);
    if (!m_cipher)
        return fail(Error::Internal);

    CtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx ||
        EVP_DecryptInit_ex2(ctx.get(), m_cipher.get(), key->key.data(), bytes(sealed.nonce),
                            nullptr) != 1 ||
        !addAssociatedData(ctx.get(), associatedData, false))
        return fail(Error::Internal);

    const qsizetype bodySize = sealed.ciphertext.size() - TagSize;
    // OpenSSL's ctrl takes a non-const pointer for SET_TAG but only reads from it.
    QByteArray tag = sealed.ciphertext.right(TagSize);
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(TagSize),
                            tag.data()) != 1)
        return fail(Error::Internal);

    QByteArray plaintext(bodySize, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(plaintext.data());
    if (!transform(ctx.get(), bytes(sealed.ciphertext), bodySize, out, false))
        return fail(Error::Internal);
    int finalBytes = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), out + bodySize, &finalBytes) != 1) {
        // The bytes decrypted so far are unauthenticated; do not leave them in freed memory.
        OPENSSL_cleanse(plaintext.data(), static_cast<size_t>(plaintext.size()));
        return fail(Error::Tampered);
    }
    return plaintext;
}

QByteArray MessageCipher::messageAssociatedData(qint64 roomId, qint64 seq)
{
    static constexpr char label[] = "veza.message.v1";
    constexpr qsizetype labelSize = sizeof label; // the terminating NUL separates the label
    QByteArray data(labelSize + 2 * qsizetype(sizeof(qint64)), Qt::Uninitialized);
    std::copy_n(label, labelSize, data.data());
    qToBigEndian(roomId, data.data() + labelSize);
    qToBigEndian(seq, data.data() + labelSize + sizeof(qint64));
    return data;
}

QString MessageCipher::errorName(Error error)
{
    switch (error) {
    case Error::UnknownKey:
        return QStringLiteral("unknown_key");
    case Error::Tampered:
        return QStringLiteral("tampered");
    case Error::Internal:
        return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

} // namespace veza::crypto
