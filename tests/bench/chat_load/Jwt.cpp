#include "Jwt.h"

#include <cstdio>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace chatbench {
namespace {

std::string encode(const unsigned char *data, size_t size, const char *alphabet, bool pad)
{
    std::string out;
    out.reserve((size + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        const uint32_t v = uint32_t(data[i]) << 16 | uint32_t(data[i + 1]) << 8 | data[i + 2];
        out += alphabet[v >> 18 & 63];
        out += alphabet[v >> 12 & 63];
        out += alphabet[v >> 6 & 63];
        out += alphabet[v & 63];
    }
    if (const size_t rest = size - i; rest > 0) {
        const uint32_t v = uint32_t(data[i]) << 16 | (rest == 2 ? uint32_t(data[i + 1]) << 8 : 0);
        out += alphabet[v >> 18 & 63];
        out += alphabet[v >> 12 & 63];
        if (rest == 2)
            out += alphabet[v >> 6 & 63];
        if (pad)
            out.append(rest == 2 ? 1 : 2, '=');
    }
    return out;
}

} // namespace

std::string base64(const unsigned char *data, size_t size)
{
    return encode(data, size, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                  true);
}

std::string base64Url(std::string_view data)
{
    return encode(reinterpret_cast<const unsigned char *>(data.data()), data.size(),
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", false);
}

std::string makeToken(std::string_view secret, uint32_t user, int64_t unixNow)
{
    static const std::string header = base64Url(R"({"alg":"HS256","typ":"JWT"})");
    char payload[192];
    const int n =
        std::snprintf(payload, sizeof payload,
                      R"({"sub":"u%u","name":"u%u","roles":[],"iat":%lld,"nbf":%lld,"exp":%lld})",
                      user, user, static_cast<long long>(unixNow - 5),
                      static_cast<long long>(unixNow - 60), static_cast<long long>(unixNow + 3600));
    std::string token = header;
    token += '.';
    token += base64Url(std::string_view(payload, size_t(n)));

    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macSize = 0;
    HMAC(EVP_sha256(), secret.data(), int(secret.size()),
         reinterpret_cast<const unsigned char *>(token.data()), token.size(), mac, &macSize);
    token += '.';
    token += base64Url(std::string_view(reinterpret_cast<const char *>(mac), macSize));
    return token;
}

} // namespace chatbench
