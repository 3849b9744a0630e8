#include "crypto/KeyRing.h"

#include <algorithm>
#include <cstring>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace veza::crypto {

namespace {

constexpr char kKeyIdDomain[] = "veza-key-id";
constexpr int kKeyIdBytes = 8;

} // namespace

std::optional<KeyRing> KeyRing::create(const QByteArray &currentKey,
                                       const QList<QByteArray> &previousKeys, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<KeyRing> {
        if (error)
            *error = message;
        return std::nullopt;
    };

    KeyRing ring;
    auto add = [&ring](const QByteArray &key) {
        Entry entry;
        entry.id = keyIdFor(key);
        std::memcpy(entry.key.data(), key.constData(), KeySize);
        const auto same = [&entry](const Entry &e) { return e.id == entry.id; };
        if (std::find_if(ring.m_keys.cbegin(), ring.m_keys.cend(), same) == ring.m_keys.cend())
            ring.m_keys.push_back(entry);
        // The local copy lives on the stack; clear it like the ring's own copies.
        OPENSSL_cleanse(entry.key.data(), entry.key.size());
    };

    if (currentKey.size() != KeySize)
        return fail(QStringLiteral("current encryption key: expected %1 bytes, got %2")
                        .arg(KeySize)
                        .arg(currentKey.size()));
    for (qsizetype i = 0; i < previousKeys.size(); ++i) {
        if (previousKeys.at(i).size() != KeySize)
            return fail(QStringLiteral("previous encryption key #%1: expected %2 bytes, got %3")
                            .arg(i + 1)
                            .arg(KeySize)
                            .arg(previousKeys.at(i).size()));
    }

    // Ids are 64-bit digests: two different keys sharing one would take ~2^32 keys, so an id
    // match is treated as the same key rather than checked byte by byte.
    ring.m_keys.reserve(static_cast<size_t>(previousKeys.size()) + 1);
    add(currentKey);
    for (const QByteArray &key : previousKeys)
        add(key);
    // An empty id (SHA-256 unavailable) would match rows that carry no key id at all.
    for (const Entry &entry : ring.m_keys) {
        if (entry.id.isEmpty())
            return fail(QStringLiteral("encryption key ids: SHA-256 is not available"));
    }
    return ring;
}

QString KeyRing::keyIdFor(const QByteArray &key)
{
    if (key.size() != KeySize)
        return {};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestSize = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                    EVP_DigestUpdate(ctx, kKeyIdDomain, sizeof kKeyIdDomain - 1) == 1 &&
                    EVP_DigestUpdate(ctx, key.constData(), KeySize) == 1 &&
                    EVP_DigestFinal_ex(ctx, digest, &digestSize) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok || digestSize < kKeyIdBytes)
        return {};
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(digest), kKeyIdBytes).toHex());
}

KeyRing &KeyRing::operator=(const KeyRing &other)
{
    if (this != &other) {
        wipe();
        m_keys = other.m_keys;
    }
    return *this;
}

KeyRing &KeyRing::operator=(KeyRing &&other) noexcept
{
    if (this != &other) {
        wipe();
        m_keys = std::move(other.m_keys);
    }
    return *this;
}

KeyRing::~KeyRing()
{
    wipe();
}

QStringList KeyRing::keyIds() const
{
    QStringList ids;
    ids.reserve(static_cast<qsizetype>(m_keys.size()));
    for (const Entry &entry : m_keys)
        ids.append(entry.id);
    return ids;
}

const KeyRing::Entry *KeyRing::find(const QString &keyId) const
{
    for (const Entry &entry : m_keys) {
        if (entry.id == keyId)
            return &entry;
    }
    return nullptr;
}

void KeyRing::wipe()
{
    for (Entry &entry : m_keys)
        OPENSSL_cleanse(entry.key.data(), entry.key.size());
    m_keys.clear();
}

} // namespace veza::crypto
