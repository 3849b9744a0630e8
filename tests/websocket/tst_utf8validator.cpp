// The incremental UTF-8 validator against RFC 3629: the classic invalid cases, every split
// point of multi-byte characters, failing at the first certain byte, the ASCII fast path's
// word boundaries, and an exhaustive comparison with a straightforward reference decoder.
#include "net/ws/Utf8Validator.h"

#include <QTest>

using namespace veza::net::ws;
using Result = Utf8Validator::Result;

namespace {
// Decodes code point by code point with the arithmetic definition (shortest form, no
// surrogates, at most U+10FFFF): independent of the validator's table-driven design.
bool referenceValid(QByteArrayView text)
{
    qsizetype i = 0;
    while (i < text.size()) {
        const quint8 lead = quint8(text[i]);
        const int length = lead < 0x80   ? 1
                           : lead < 0xC0 ? 0
                           : lead < 0xE0 ? 2
                           : lead < 0xF0 ? 3
                           : lead < 0xF8 ? 4
                                         : 0;
        if (length == 0 || i + length > text.size())
            return false;
        quint32 codePoint = length == 1 ? lead : lead & (0x7F >> length);
        for (int k = 1; k < length; ++k) {
            const quint8 next = quint8(text[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        static const quint32 kShortest[] = {0, 0, 0x80, 0x800, 0x10000};
        if ((length > 1 && codePoint < kShortest[length]) || codePoint > 0x10FFFF ||
            (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

// const QByteArray & (not a view) so that concatenations convert in one step.
Result validate(const QByteArray &text)
{
    Utf8Validator validator;
    return validator.feed(text);
}
} // namespace

class TestUtf8Validator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classicCases_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("expected");
        const int valid = int(Result::Valid), invalid = int(Result::Invalid),
                  incomplete = int(Result::Incomplete);
        QTest::newRow("empty") << QByteArray() << valid;
        QTest::newRow("ascii") << QByteArray("Hello, world! 0123456789") << valid;
        QTest::newRow("nul is valid") << QByteArray("a\0b", 3) << valid;
        QTest::newRow("2-byte") << QByteArray("caf\xc3\xa9") << valid;
        QTest::newRow("3-byte") << QByteArray("\xe2\x82\xac") << valid;
        QTest::newRow("4-byte") << QByteArray("\xf0\x9d\x84\x9e") << valid;
        QTest::newRow("U+D7FF") << QByteArray("\xed\x9f\xbf") << valid;
        QTest::newRow("U+E000") << QByteArray("\xee\x80\x80") << valid;
        QTest::newRow("U+FFFF") << QByteArray("\xef\xbf\xbf") << valid;
        QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << valid;
        QTest::newRow("overlong /") << QByteArray("\xc0\xaf") << invalid;
        QTest::newRow("overlong C1") << QByteArray("\xc1\xbf") << invalid;
        QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << invalid;
        QTest::newRow("overlong 4-byte") << QByteArray("\xf0\x80\x80\xaf") << invalid;
        QTest::newRow("surrogate D800") << QByteArray("\xed\xa0\x80") << invalid;
        QTest::newRow("surrogate DFFF") << QByteArray("\xed\xbf\xbf") << invalid;
        QTest::newRow("U+110000") << QByteArray("\xf4\x90\x80\x80") << invalid;
        QTest::newRow("F5 lead") << QByteArray("\xf5\x80\x80\x80") << invalid;
        QTest::newRow("FE") << QByteArray("\xfe") << invalid;
        QTest::newRow("FF") << QByteArray("\xff") << invalid;
        QTest::newRow("stray continuation") << QByteArray("a\x80z") << invalid;
        QTest::newRow("lead then ascii") << QByteArray("\xc3z") << invalid;
        QTest::newRow("open 2-byte") << QByteArray("\xc3") << incomplete;
        QTest::newRow("open 3-byte") << QByteArray("ab\xe2\x82") << incomplete;
        QTest::newRow("open 4-byte") << QByteArray("\xf0\x9d\x84") << incomplete;
    }

    void classicCases()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, expected);
        QCOMPARE(int(validate(text)), expected);
        QCOMPARE(Utf8Validator::isValid(text), expected == int(Result::Valid));
    }

    void everySplitPointOfMultiByteCharacters()
    {
        for (const QByteArray &character :
             {QByteArray("\xc3\xa9"), QByteArray("\xe2\x82\xac"), QByteArray("\xed\x9f\xbf"),
              QByteArray("\xf0\x9d\x84\x9e"), QByteArray("\xf4\x8f\xbf\xbf")}) {
            const QByteArray text = "ab" + character + "cd";
            for (qsizetype cut = 0; cut <= text.size(); ++cut) {
                Utf8Validator validator;
                const Result first = validator.feed(text.first(cut));
                const bool inside = cut > 2 && cut < 2 + character.size();
                QCOMPARE(first, inside ? Result::Incomplete : Result::Valid);
                QCOMPARE(validator.feed(text.sliced(cut)), Result::Valid);
            }
        }
    }

    void failsAtTheFirstCertainByte()
    {
        // Fed a byte at a time, each sequence must turn Invalid exactly at its last byte.
        for (const QByteArray &text :
             {QByteArray("\xf4\x90"), QByteArray("\xed\xa0"), QByteArray("\xe0\x9f"),
              QByteArray("\xf0\x8f"), QByteArray("\xe2\x82z"), QByteArray("\xc0")}) {
            Utf8Validator validator;
            for (qsizetype i = 0; i < text.size(); ++i) {
                const Result result = validator.feed(text.sliced(i, 1));
                QCOMPARE(result == Result::Invalid, i == text.size() - 1);
            }
        }
    }

    void invalidIsStickyUntilReset()
    {
        Utf8Validator validator;
        QCOMPARE(validator.feed("\xff"), Result::Invalid);
        QCOMPARE(validator.feed("plain"), Result::Invalid);
        QCOMPARE(validator.result(), Result::Invalid);
        validator.reset();
        QCOMPARE(validator.feed("plain"), Result::Valid);
    }

    void asciiFastPathBoundaries()
    {
        for (int prefix = 0; prefix <= 33; ++prefix) {
            const QByteArray ascii(prefix, 'x');
            QCOMPARE(validate(ascii), Result::Valid);
            QCOMPARE(validate(ascii + "\xc3\xa9" + ascii), Result::Valid);
            QCOMPARE(validate(ascii + "\x80" + ascii), Result::Invalid);
            QCOMPARE(validate(ascii + "\xed\xa0\x80" + ascii), Result::Invalid);
            QCOMPARE(validate(ascii + "\xe2\x82"), Result::Incomplete);
        }
    }

    void agreesWithTheReferenceDecoderExhaustively()
    {
        // Every 1- and 2-byte string, every 3-byte string with a non-ASCII lead, and every
        // 4-byte string with an F0..F4 lead over a representative set of tail bytes.
        int checked = 0;
        QByteArray firstDisagreement;
        auto check = [&](QByteArrayView text) {
            ++checked;
            Utf8Validator validator;
            const bool ok = validator.feed(text) == Result::Valid;
            if (ok != referenceValid(text) && firstDisagreement.isEmpty())
                firstDisagreement = text.toByteArray().toHex(' ');
        };
        char buffer[4];
        for (int a = 0; a < 256; ++a) {
            buffer[0] = char(a);
            check(QByteArrayView(buffer, 1));
            for (int b = 0; b < 256; ++b) {
                buffer[1] = char(b);
                check(QByteArrayView(buffer, 2));
                for (int c = 0; a >= 0xC0 && c < 256; ++c) {
                    buffer[2] = char(c);
                    check(QByteArrayView(buffer, 3));
                }
            }
        }
        const int tails[] = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        for (int a = 0xF0; a <= 0xF7; ++a) {
            for (int b = 0; b < 256; ++b) {
                for (int c : tails) {
                    for (int d : tails) {
                        const char text[4] = {char(a), char(b), char(c), char(d)};
                        check(QByteArrayView(text, 4));
                    }
                }
            }
        }
        QVERIFY2(firstDisagreement.isEmpty(), firstDisagreement.constData());
        QVERIFY(checked > 4'000'000);
    }
};

QTEST_GUILESS_MAIN(TestUtf8Validator)
#include "tst_utf8validator.moc"
