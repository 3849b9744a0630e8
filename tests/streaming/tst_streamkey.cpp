// Unit tests of StreamKey (format, hash, constant-time verification) and of mount names.
#include "streaming/StreamKey.h"
#include "streaming/StreamTypes.h"

#include <QCryptographicHash>
#include <QSet>
#include <QTest>

using namespace veza::streaming;

class TestStreamKey : public QObject
{
    Q_OBJECT

private slots:
    void keyFormat()
    {
        const QByteArray key = StreamKey::generate();
        QCOMPARE(key.size(), StreamKey::keyLength);
        QVERIFY(key.startsWith("vzs_"));
        QVERIFY(StreamKey::isWellFormed(key));
        QVERIFY(!key.contains('='));
        QVERIFY(!key.contains('+'));
        QVERIFY(!key.contains('/'));
        const QByteArray random = QByteArray::fromBase64(
            key.mid(4), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QCOMPARE(random.size(), StreamKey::randomBytes);
    }

    void keysDiffer()
    {
        QSet<QByteArray> keys;
        for (int i = 0; i < 1000; ++i)
            keys.insert(StreamKey::generate());
        QCOMPARE(keys.size(), 1000);
    }

    void hashIsSha256Hex()
    {
        const QByteArray key = StreamKey::generate();
        const QByteArray hash = StreamKey::hash(key);
        QCOMPARE(hash.size(), 64);
        QCOMPARE(hash, QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex());
        QCOMPARE(hash, hash.toLower());
        QVERIFY(!hash.contains(key.mid(4)));
    }

    void verify()
    {
        const QByteArray key = StreamKey::generate();
        const QByteArray hash = StreamKey::hash(key);
        QVERIFY(StreamKey::verify(key, hash));
        QByteArray altered = key;
        altered[10] = altered[10] == 'a' ? 'b' : 'a';
        QVERIFY(!StreamKey::verify(altered, hash));
        QVERIFY(!StreamKey::verify(key, hash.left(63)));
        QVERIFY(!StreamKey::verify(key, {}));
        QVERIFY(!StreamKey::verify({}, StreamKey::hash({})));
        // The hash of something that is not a key never verifies, even when it matches.
        QVERIFY(!StreamKey::verify("hello", StreamKey::hash("hello")));
    }

    void rotationChangesTheHash()
    {
        const QByteArray first = StreamKey::generate();
        const QByteArray second = StreamKey::generate();
        QVERIFY(first != second);
        QVERIFY(StreamKey::hash(first) != StreamKey::hash(second));
        QVERIFY(!StreamKey::verify(first, StreamKey::hash(second)));
    }

    void wellFormed()
    {
        QVERIFY(!StreamKey::isWellFormed(""));
        QVERIFY(!StreamKey::isWellFormed("vzs_"));
        QByteArray key = StreamKey::generate();
        key[0] = 'x';
        QVERIFY(!StreamKey::isWellFormed(key));
        key = StreamKey::generate();
        key[20] = '=';
        QVERIFY(!StreamKey::isWellFormed(key));
        QVERIFY(!StreamKey::isWellFormed(QByteArray(StreamKey::generate() + "A")));
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << QStringLiteral("radio") << true;
        QTest::newRow("digits first") << QStringLiteral("42fm") << true;
        QTest::newRow("dash and underscore") << QStringLiteral("night-shift_2") << true;
        QTest::newRow("one char") << QStringLiteral("a") << true;
        QTest::newRow("64 chars") << QString(64, u'a') << true;
        QTest::newRow("65 chars") << QString(65, u'a') << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("upper case") << QStringLiteral("Radio") << false;
        QTest::newRow("leading dash") << QStringLiteral("-radio") << false;
        QTest::newRow("leading underscore") << QStringLiteral("_radio") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("dot") << QStringLiteral("a.b") << false;
        QTest::newRow("space") << QStringLiteral("a b") << false;
        QTest::newRow("non-ascii") << QStringLiteral("caf\u00e9") << false;
    }

    void names()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(isValidStreamName(name), valid);
        QCOMPARE(streamNameProblem(name).isEmpty(), valid);
    }

    void mount() { QCOMPARE(mountPath(QStringLiteral("radio")), QStringLiteral("/live/radio")); }
};

QTEST_APPLESS_MAIN(TestStreamKey)
#include "tst_streamkey.moc"
