#include "streaming/StreamKey.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <array>
#include <openssl/crypto.h>

namespace veza::streaming {

QByteArray StreamKey::generate()
{
    std::array<quint32, randomBytes / sizeof(quint32)> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    const QByteArray random(reinterpret_cast<const char *>(words.data()), randomBytes);
    QByteArray key = prefix.toByteArray();
    key += random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return key;
}

QByteArray StreamKey::hash(QByteArrayView key)
{
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex();
}

bool StreamKey::verify(QByteArrayView key, QByteArrayView storedHash)
{
    if (!isWellFormed(key))
        return false;
    const QByteArray computed = hash(key);
    if (storedHash.size() != computed.size())
        return false;
    return CRYPTO_memcmp(computed.constData(), storedHash.data(),
                         static_cast<size_t>(computed.size())) == 0;
}

bool StreamKey::isWellFormed(QByteArrayView key)
{
    if (key.size() != keyLength || !key.startsWith(prefix))
        return false;
    for (char c : key.sliced(prefix.size())) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace veza::streaming
