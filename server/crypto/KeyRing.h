#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <array>
#include <optional>
#include <vector>

namespace veza::crypto {

class MessageCipher;

// KeyRing: the AES-256 keys that data at rest may be sealed with. One key is current (new
// ciphertexts use it); older keys stay so rows written before a rotation remain readable.
//
// Every key is known by an id derived from the key itself (keyIdFor), so operators never pick
// or track ids by hand and the same key always gets the same id across restarts and machines.
// The id is stored next to each ciphertext; it reveals nothing useful about the key (64 bits of
// a domain-separated SHA-256).
//
// Immutable after create(): safe to read from any number of threads at once. Rotating means
// building a new ring (new current key, old ones as previous) at start-up. Key bytes are kept
// only inside the ring, are never exposed through its public API, and are wiped on destruction.
class KeyRing
{
public:
    static constexpr qsizetype KeySize = 32;

    // Builds a ring from the current key and any number of older keys (each exactly KeySize
    // raw bytes). An older key equal to the current one, or repeated, is skipped, so listing
    // the current key among the previous ones is harmless. Returns nullopt, and a message
    // that names the offending position but never the key, when a key has the wrong size.
    static std::optional<KeyRing> create(const QByteArray &currentKey,
                                         const QList<QByteArray> &previousKeys = {},
                                         QString *error = nullptr);

    // 16 lowercase hex digits: the first 8 bytes of SHA-256("veza-key-id" || key).
    // Empty if the key is not KeySize bytes.
    static QString keyIdFor(const QByteArray &key);

    KeyRing(const KeyRing &other) = default;
    KeyRing(KeyRing &&other) noexcept = default;
    KeyRing &operator=(const KeyRing &other);
    KeyRing &operator=(KeyRing &&other) noexcept;
    ~KeyRing();

    // A moved-from ring is empty: no current key, contains nothing.
    QString currentKeyId() const { return m_keys.empty() ? QString() : m_keys.front().id; }
    bool isCurrent(const QString &keyId) const
    {
        return !m_keys.empty() && keyId == m_keys.front().id;
    }
    bool contains(const QString &keyId) const { return find(keyId) != nullptr; }
    // Current key first, then the older ones in the order given.
    QStringList keyIds() const;

private:
    // MessageCipher is the one place key bytes are used.
    friend class MessageCipher;
    using Key = std::array<unsigned char, KeySize>;
    struct Entry
    {
        QString id;
        Key key;
    };

    KeyRing() = default;
    const Entry *find(const QString &keyId) const;
    const Entry *current() const { return m_keys.empty() ? nullptr : &m_keys.front(); }
    void wipe();

    // Reserved up front and never grown afterwards, so no reallocation leaves an unwiped copy.
    std::vector<Entry> m_keys;
};

} // namespace veza::crypto
