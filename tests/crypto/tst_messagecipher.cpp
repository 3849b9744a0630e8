#include "crypto/KeyRing.h"
#include "crypto/MessageCipher.h"

#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

using veza::crypto::KeyRing;
using veza::crypto::MessageCipher;
using Error = MessageCipher::Error;
using Sealed = MessageCipher::Sealed;

Q_DECLARE_METATYPE(MessageCipher::Error)

namespace {

QByteArray keyOf(char fill)
{
    return QByteArray(KeyRing::KeySize, fill);
}

// 00 01 02 ... 1f: the key of the vectors computed with Python's `cryptography` package.
QByteArray countingKey()
{
    QByteArray key(KeyRing::KeySize, Qt::Uninitialized);
    for (int i = 0; i < key.size(); ++i)
        key[i] = char(i);
    return key;
}

std::unique_ptr<MessageCipher> cipherFor(const QByteArray &current,
                                         const QList<QByteArray> &previous = {})
{
    auto ring = KeyRing::create(current, previous);
    if (!ring)
        return nullptr;
    return std::make_unique<MessageCipher>(std::move(*ring));
}

QByteArray flipBit(QByteArray data, qsizetype bit)
{
    data[bit / 8] = char(data.at(bit / 8) ^ (1 << (bit % 8)));
    return data;
}

} // namespace

class TestMessageCipher : public QObject
{
    Q_OBJECT

private slots:
    void keyRingRejectsWrongKeySize_data();
    void keyRingRejectsWrongKeySize();
    void keyRingSkipsRepeatedKeys();
    void keyIdIsStableAndDistinct();
    void roundTrip_data();
    void roundTrip();
    void nonceIsFreshEachTime();
    void flippedBitIsTampered_data();
    void flippedBitIsTampered();
    void malformedRowIsTampered_data();
    void malformedRowIsTampered();
    void otherAssociatedDataIsTampered_data();
    void otherAssociatedDataIsTampered();
    void unknownKeyId_data();
    void unknownKeyId();
    void rotationKeepsOldRowsReadable();
    void knownAnswer_data();
    void knownAnswer();
    void messageAssociatedDataEncoding();
    void concurrentUse();
};

void TestMessageCipher::keyRingRejectsWrongKeySize_data()
{
    QTest::addColumn<QByteArray>("current");
    QTest::addColumn<QList<QByteArray>>("previous");

    QTest::newRow("current empty") << QByteArray() << QList<QByteArray>{};
    QTest::newRow("current 31 bytes") << QByteArray(31, 'k') << QList<QByteArray>{};
    QTest::newRow("current 33 bytes") << QByteArray(33, 'k') << QList<QByteArray>{};
    QTest::newRow("current hex text") << keyOf('a').toHex() << QList<QByteArray>{};
    QTest::newRow("previous 16 bytes") << keyOf('a') << QList<QByteArray>{QByteArray(16, 'b')};
    QTest::newRow("second previous empty")
        << keyOf('a') << QList<QByteArray>{keyOf('b'), QByteArray()};
}

void TestMessageCipher::keyRingRejectsWrongKeySize()
{
    QFETCH(QByteArray, current);
    QFETCH(QList<QByteArray>, previous);

    QString error;
    QVERIFY(!KeyRing::create(current, previous, &error));
    QVERIFY(error.contains(QLatin1String("expected 32 bytes")));
    // The message must not echo key material, not even a wrongly sized key.
    for (const QByteArray &key : std::as_const(previous) + QList<QByteArray>{current}) {
        if (key.size() >= 4) {
            QVERIFY(!error.contains(QString::fromLatin1(key)));
            QVERIFY(!error.contains(QString::fromLatin1(key.toHex())));
        }
    }
}

void TestMessageCipher::keyRingSkipsRepeatedKeys()
{
    const auto ring = KeyRing::create(keyOf('a'), {keyOf('b'), keyOf('a'), keyOf('b')});
    QVERIFY(ring);
    QCOMPARE(ring->keyIds(),
             (QStringList{KeyRing::keyIdFor(keyOf('a')), KeyRing::keyIdFor(keyOf('b'))}));
    QCOMPARE(ring->currentKeyId(), KeyRing::keyIdFor(keyOf('a')));
    QVERIFY(ring->isCurrent(KeyRing::keyIdFor(keyOf('a'))));
    QVERIFY(!ring->isCurrent(KeyRing::keyIdFor(keyOf('b'))));
    QVERIFY(ring->contains(KeyRing::keyIdFor(keyOf('b'))));
    QVERIFY(!ring->contains(KeyRing::keyIdFor(keyOf('c'))));
}

void TestMessageCipher::keyIdIsStableAndDistinct()
{
    // Pinned: ids are stored in every row, so the derivation must never change.
    // python3: hashlib.sha256(b"veza-key-id" + bytes(range(32))).hexdigest()[:16]
    QCOMPARE(KeyRing::keyIdFor(countingKey()), QStringLiteral("b14291e4b53c890f"));
    QCOMPARE(KeyRing::keyIdFor(keyOf('\0')), QStringLiteral("5a683237f73f08dd"));

    QCOMPARE(KeyRing::keyIdFor(keyOf('a')), KeyRing::keyIdFor(keyOf('a')));
    QCOMPARE(KeyRing::create(keyOf('a'))->currentKeyId(), KeyRing::keyIdFor(keyOf('a')));

    const QRegularExpression format(QStringLiteral("^[0-9a-f]{16}$"));
    QSet<QString> ids;
    for (int fill = 0; fill < 64; ++fill) {
        const QString id = KeyRing::keyIdFor(keyOf(char(fill)));
        QVERIFY2(format.match(id).hasMatch(), qPrintable(id));
        ids.insert(id);
    }
    // A single flipped bit in the key also yields another id.
    ids.insert(KeyRing::keyIdFor(flipBit(keyOf('\0'), 255)));
    QCOMPARE(ids.size(), 65);

    QVERIFY(KeyRing::keyIdFor(QByteArray(31, 'a')).isEmpty());
}

void TestMessageCipher::roundTrip_data()
{
    QTest::addColumn<QByteArray>("plaintext");

    QByteArray large(8 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < large.size(); ++i)
        large[i] = char(i * 31 + 7);

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("1 byte") << QByteArray("x");
    QTest::newRow("16 bytes, one AES block") << QByteArray(16, 'b');
    QTest::newRow("8 KiB") << large;
    QTest::newRow("binary with NULs") << QByteArray("\0\x01\0\xff\0\0abc\0", 10);
    QTest::newRow("UTF-8") << QStringLiteral("Привет, 世界! 🎧 café").toUtf8();
}

void TestMessageCipher::roundTrip()
{
    QFETCH(QByteArray, plaintext);

    const auto cipher = cipherFor(keyOf('a'));
    QVERIFY(cipher);
    const QByteArray ad = MessageCipher::messageAssociatedData(7, 42);

    const auto sealed = cipher->encrypt(plaintext, ad);
    QVERIFY(sealed);
    QCOMPARE(sealed->keyId, KeyRing::keyIdFor(keyOf('a')));
    QCOMPARE(sealed->nonce.size(), MessageCipher::NonceSize);
    QCOMPARE(sealed->ciphertext.size(), plaintext.size() + MessageCipher::TagSize);
    if (plaintext.size() >= 8)
        QVERIFY(!sealed->ciphertext.contains(plaintext.left(8)));

    Error error = Error::Internal;
    const auto opened = cipher->decrypt(*sealed, ad, &error);
    QVERIFY(opened);
    QCOMPARE(*opened, plaintext);
}

void TestMessageCipher::nonceIsFreshEachTime()
{
    const auto cipher = cipherFor(keyOf('a'));
    const QByteArray ad = MessageCipher::messageAssociatedData(1, 1);
    const QByteArray text("same text, same row");

    const auto first = cipher->encrypt(text, ad);
    const auto second = cipher->encrypt(text, ad);
    QVERIFY(first && second);
    QVERIFY(first->nonce != second->nonce);
    QVERIFY(first->ciphertext != second->ciphertext);
    QCOMPARE(*cipher->decrypt(*first, ad), text);
    QCOMPARE(*cipher->decrypt(*second, ad), text);

    QSet<QByteArray> nonces;
    for (int i = 0; i < 1000; ++i)
        nonces.insert(cipher->encrypt(text, ad)->nonce);
    QCOMPARE(nonces.size(), 1000);
}

enum class Part { Body, Tag, Nonce };

void TestMessageCipher::flippedBitIsTampered_data()
{
    QTest::addColumn<int>("part");
    QTest::addColumn<QByteArray>("plaintext");

    QTest::newRow("body") << int(Part::Body) << QByteArray("hello, room");
    QTest::newRow("tag") << int(Part::Tag) << QByteArray("hello, room");
    QTest::newRow("nonce") << int(Part::Nonce) << QByteArray("hello, room");
    QTest::newRow("tag of empty body") << int(Part::Tag) << QByteArray();
    QTest::newRow("nonce of empty body") << int(Part::Nonce) << QByteArray();
}

void TestMessageCipher::flippedBitIsTampered()
{
    QFETCH(int, part);
    QFETCH(QByteArray, plaintext);

    const auto cipher = cipherFor(keyOf('a'));
    const QByteArray ad = MessageCipher::messageAssociatedData(3, 9);
    const auto sealed = cipher->encrypt(plaintext, ad);
    QVERIFY(sealed);

    const qsizetype bodyBits = plaintext.size() * 8;
    qsizetype first = 0;
    qsizetype count = 0;
    switch (Part(part)) {
    case Part::Body:
        count = bodyBits;
        break;
    case Part::Tag:
        first = bodyBits;
        count = MessageCipher::TagSize * 8;
        break;
    case Part::Nonce:
        count = MessageCipher::NonceSize * 8;
        break;
    }
    QVERIFY(count > 0);

    // Every single bit of the chosen part, not a sample.
    for (qsizetype bit = first; bit < first + count; ++bit) {
        Sealed damaged = *sealed;
        if (Part(part) == Part::Nonce)
            damaged.nonce = flipBit(damaged.nonce, bit);
        else
            damaged.ciphertext = flipBit(damaged.ciphertext, bit);
        Error error = Error::Internal;
        QVERIFY2(!cipher->decrypt(damaged, ad, &error), qPrintable(QString::number(bit)));
        QCOMPARE(error, Error::Tampered);
    }
}

void TestMessageCipher::malformedRowIsTampered_data()
{
    QTest::addColumn<int>("nonceSize");
    QTest::addColumn<int>("bodyDelta");

    QTest::newRow("nonce missing") << 0 << 0;
    QTest::newRow("nonce 11 bytes") << 11 << 0;
    QTest::newRow("nonce 16 bytes") << 16 << 0;
    QTest::newRow("body one byte short") << 12 << -1;
    QTest::newRow("body one byte long") << 12 << 1;
    QTest::newRow("body shorter than a tag") << 12 << -(5 + 1);
    QTest::newRow("body empty") << 12 << -(5 + 16);
}

void TestMessageCipher::malformedRowIsTampered()
{
    QFETCH(int, nonceSize);
    QFETCH(int, bodyDelta);

    const auto cipher = cipherFor(keyOf('a'));
    const QByteArray ad("row");
    const auto sealed = cipher->encrypt("hello", ad); // 5 bytes + 16-byte tag
    QVERIFY(sealed);

    Sealed damaged = *sealed;
    damaged.nonce = QByteArray(sealed->nonce + QByteArray(4, '\0')).left(nonceSize);
    if (bodyDelta < 0)
        damaged.ciphertext.chop(-bodyDelta);
    else
        damaged.ciphertext.append(QByteArray(bodyDelta, '\0'));

    Error error = Error::Internal;
    QVERIFY(!cipher->decrypt(damaged, ad, &error));
    QCOMPARE(error, Error::Tampered);
}

void TestMessageCipher::otherAssociatedDataIsTampered_data()
{
    QTest::addColumn<QByteArray>("sealedWith");
    QTest::addColumn<QByteArray>("openedWith");

    const auto row = MessageCipher::messageAssociatedData;
    QTest::newRow("other room") << row(7, 42) << row(8, 42);
    QTest::newRow("other seq") << row(7, 42) << row(7, 43);
    QTest::newRow("room and seq swapped") << row(7, 42) << row(42, 7);
    QTest::newRow("no associated data") << row(7, 42) << QByteArray();
    QTest::newRow("added associated data") << QByteArray() << row(7, 42);
    QTest::newRow("one byte more") << QByteArray("room") << QByteArray("room\0", 5);
}

void TestMessageCipher::otherAssociatedDataIsTampered()
{
    QFETCH(QByteArray, sealedWith);
    QFETCH(QByteArray, openedWith);

    const auto cipher = cipherFor(keyOf('a'));
    const auto sealed = cipher->encrypt("moved to another row", sealedWith);
    QVERIFY(sealed);
    QVERIFY(cipher->decrypt(*sealed, sealedWith));

    Error error = Error::Internal;
    QVERIFY(!cipher->decrypt(*sealed, openedWith, &error));
    QCOMPARE(error, Error::Tampered);
}

void TestMessageCipher::unknownKeyId_data()
{
    QTest::addColumn<QString>("keyId");

    QTest::newRow("id of a key not in the ring") << KeyRing::keyIdFor(keyOf('z'));
    QTest::newRow("empty (row written before encryption)") << QString();
    QTest::newRow("upper-case spelling of the real id") << KeyRing::keyIdFor(keyOf('a')).toUpper();
    QTest::newRow("garbage") << QStringLiteral("not-a-key-id");
}

void TestMessageCipher::unknownKeyId()
{
    QFETCH(QString, keyId);

    const auto cipher = cipherFor(keyOf('a'));
    auto sealed = cipher->encrypt("text", "ad");
    QVERIFY(sealed);
    sealed->keyId = keyId;

    Error error = Error::Internal;
    QVERIFY(!cipher->decrypt(*sealed, "ad", &error));
    QCOMPARE(error, Error::UnknownKey);
    QCOMPARE(MessageCipher::errorName(error), QStringLiteral("unknown_key"));
}

void TestMessageCipher::rotationKeepsOldRowsReadable()
{
    const QByteArray oldKey = keyOf('o');
    const QByteArray newKey = keyOf('n');
    const QByteArray ad = MessageCipher::messageAssociatedData(5, 1);

    const auto before = cipherFor(oldKey);
    const auto oldRow = before->encrypt("written before the rotation", ad);
    QVERIFY(oldRow);
    QCOMPARE(oldRow->keyId, KeyRing::keyIdFor(oldKey));

    // ENCRYPTION_KEY=new, ENCRYPTION_KEYS_PREVIOUS=old
    const auto after = cipherFor(newKey, {oldKey});
    QVERIFY(after);
    QCOMPARE(after->keyRing().currentKeyId(), KeyRing::keyIdFor(newKey));
    QVERIFY(!after->keyRing().isCurrent(oldRow->keyId)); // a re-encryption job would pick it
    QCOMPARE(*after->decrypt(*oldRow, ad), QByteArray("written before the rotation"));

    const auto newRow = after->encrypt("written after the rotation", ad);
    QVERIFY(newRow);
    QCOMPARE(newRow->keyId, KeyRing::keyIdFor(newKey));
    QVERIFY(newRow->keyId != oldRow->keyId);
    QCOMPARE(*after->decrypt(*newRow, ad), QByteArray("written after the rotation"));

    // The old server cannot read new rows, and dropping the old key too early strands old rows.
    Error error = Error::Internal;
    QVERIFY(!before->decrypt(*newRow, ad, &error));
    QCOMPARE(error, Error::UnknownKey);
    const auto retired = cipherFor(newKey);
    QVERIFY(!retired->decrypt(*oldRow, ad, &error));
    QCOMPARE(error, Error::UnknownKey);

    // A forged key id pointing at the other key is still caught by the tag.
    Sealed relabelled = *oldRow;
    relabelled.keyId = KeyRing::keyIdFor(newKey);
    QVERIFY(!after->decrypt(relabelled, ad, &error));
    QCOMPARE(error, Error::Tampered);
}

void TestMessageCipher::knownAnswer_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("nonce");
    QTest::addColumn<QByteArray>("associatedData");
    QTest::addColumn<QByteArray>("ciphertextAndTag");
    QTest::addColumn<QByteArray>("plaintext");

    const auto hex = [](const char *text) { return QByteArray::fromHex(text); };

    // AES-256 cases of "The Galois/Counter Mode of Operation (GCM)", McGrew & Viega, the test
    // vectors NIST's GCM validation refers to (96-bit IVs).
    QTest::newRow("GCM spec test case 13: empty")
        << QByteArray(32, '\0') << QByteArray(12, '\0') << QByteArray()
        << hex("530f8afbc74536b9a963b4f1c4cb738b") << QByteArray();
    QTest::newRow("GCM spec test case 14: one zero block")
        << QByteArray(32, '\0') << QByteArray(12, '\0') << QByteArray()
        << hex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919")
        << QByteArray(16, '\0');
    QTest::newRow("GCM spec test case 16: 60 bytes with AAD")
        << hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        << hex("cafebabefacedbaddecaf888") << hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        << hex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
               "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
               "76fc6ece0f4e1768cddf8853bb2d551b")
        << hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
               "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    // Python `cryptography` AESGCM(bytes(range(32))).encrypt(bytes(range(12)), utf8, aad) with
    // aad = b"veza.message.v1\0" + struct.pack(">qq", 7, 42): pins the row binding format too.
    QTest::newRow("chat message row, UTF-8")
        << countingKey() << hex("000102030405060708090a0b")
        << MessageCipher::messageAssociatedData(7, 42)
        << hex("979d079b155d12a95df446099dc9a8d1536e56b4d15bafe3b6c0"
               "e14c577273b1e943b7f68258ebabbace")
        << QStringLiteral("Привет, мир! 🎧").toUtf8();
}

void TestMessageCipher::knownAnswer()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, nonce);
    QFETCH(QByteArray, associatedData);
    QFETCH(QByteArray, ciphertextAndTag);
    QFETCH(QByteArray, plaintext);

    // encrypt() draws its own nonce, so the vectors are checked through decrypt(); with the
    // round trips above, a matching decrypt shows encrypt produces standard AES-256-GCM too.
    const auto cipher = cipherFor(key);
    QVERIFY(cipher);
    const Sealed sealed{KeyRing::keyIdFor(key), nonce, ciphertextAndTag};
    Error error = Error::Internal;
    const auto opened = cipher->decrypt(sealed, associatedData, &error);
    QVERIFY2(opened, qPrintable(MessageCipher::errorName(error)));
    QCOMPARE(*opened, plaintext);
}

void TestMessageCipher::messageAssociatedDataEncoding()
{
    QCOMPARE(MessageCipher::messageAssociatedData(7, 42).toHex(),
             QByteArray("76657a612e6d6573736167652e7631000000000000000007000000000000002a"));
    // Fixed width: (1, 23) and (12, 3) must not collide as decimal concatenation would.
    QVERIFY(MessageCipher::messageAssociatedData(1, 23) !=
            MessageCipher::messageAssociatedData(12, 3));
    QCOMPARE(MessageCipher::messageAssociatedData(-1, 0).size(), 16 + 16);
}

void TestMessageCipher::concurrentUse()
{
    // One cipher shared by four threads, as the database worker pool will share it.
    const auto cipher = cipherFor(keyOf('n'), {keyOf('o')});
    const auto oldRow = cipherFor(keyOf('o'))->encrypt("old", "old row");
    QVERIFY(oldRow);

    constexpr int threadCount = 4;
    constexpr int rounds = 2000;
    std::atomic<int> failures{0};
    std::atomic<int> successes{0};
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < threadCount; ++t) {
        threads.emplace_back(QThread::create([&, t] {
            for (int i = 0; i < rounds; ++i) {
                const QByteArray text =
                    QByteArray::number(t) + ':' + QByteArray::number(i) + QByteArray(i % 300, 'x');
                const QByteArray ad = MessageCipher::messageAssociatedData(t, i);
                const auto sealed = cipher->encrypt(text, ad);
                const auto opened = sealed ? cipher->decrypt(*sealed, ad) : std::nullopt;
                const auto old = cipher->decrypt(*oldRow, "old row");
                if (opened && *opened == text && old && *old == "old")
                    ++successes;
                else
                    ++failures;
            }
        }));
        threads.back()->start();
    }
    for (const auto &thread : threads)
        QVERIFY(thread->wait(60000));
    QCOMPARE(failures.load(), 0);
    QCOMPARE(successes.load(), threadCount * rounds);
}

QTEST_GUILESS_MAIN(TestMessageCipher)
#include "tst_messagecipher.moc"
