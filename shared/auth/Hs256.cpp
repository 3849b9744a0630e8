#include "auth/Hs256.h"

#include <limits>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace veza::auth {

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    if (key.size() > std::numeric_limits<int>::max())
        return {};
    QByteArray mac(kHs256Size, Qt::Uninitialized);
    unsigned int length = 0;
    // HMAC() uses its own context per call, so concurrent callers share nothing. A non-null
    // pointer even for an empty key, because OpenSSL's HMAC init reads a null key as "keep
    // the previous key" rather than "empty key".
    static const char kNoKey = 0;
    const void *keyData = key.isEmpty() ? &kNoKey : key.data();
    if (!HMAC(EVP_sha256(), keyData, static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char *>(data.data()),
              static_cast<size_t>(data.size()), reinterpret_cast<unsigned char *>(mac.data()),
              &length) ||
        length != kHs256Size)
        return {};
    return mac;
}

bool equalConstantTime(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.data(), b.data(), static_cast<size_t>(a.size())) == 0;
}

} // namespace veza::auth
