// TRUSTED_PROXIES on its own: ranges parsed or refused with the entry named, and the client
// address taken from X-Forwarded-For only behind a trusted peer, as one canonical spelling.
#include "net/TrustedProxies.h"

#include <QTest>

using veza::net::TrustedProxies;

class TestTrustedProxies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badEntriesAreNamed()
    {
        QString error;
        QVERIFY(!TrustedProxies::parse({QStringLiteral("10.0.0.0/8"), QStringLiteral("lb.local")},
                                       &error));
        QVERIFY2(error.contains(u"lb.local"), qPrintable(error));
    }

    void clientAddress_data()
    {
        QTest::addColumn<QString>("peer");
        QTest::addColumn<QByteArray>("forwardedFor");
        QTest::addColumn<QString>("client");
        QTest::newRow("untrusted peer")
            << "198.51.100.9" << QByteArray("203.0.113.7") << "198.51.100.9";
        QTest::newRow("trusted peer") << "10.1.2.3" << QByteArray("203.0.113.7") << "203.0.113.7";
        QTest::newRow("dual-stack peer")
            << "::ffff:10.1.2.3" << QByteArray("203.0.113.7") << "203.0.113.7";
        QTest::newRow("chain through proxies")
            << "10.1.2.3" << QByteArray("198.51.100.1, 203.0.113.7, 10.9.9.9") << "203.0.113.7";
        QTest::newRow("one spelling")
            << "10.1.2.3" << QByteArray("2001:DB8:0:0::1") << "2001:db8::1";
        QTest::newRow("garbage") << "10.1.2.3" << QByteArray("203.0.113.7, <script>") << "10.1.2.3";
        QTest::newRow("only proxies") << "10.1.2.3" << QByteArray("10.4.4.4") << "10.1.2.3";
        QTest::newRow("no header") << "10.1.2.3" << QByteArray() << "10.1.2.3";
    }

    void clientAddress()
    {
        QFETCH(QString, peer);
        QFETCH(QByteArray, forwardedFor);
        QFETCH(QString, client);
        const auto proxies = TrustedProxies::parse({QStringLiteral("10.0.0.0/8")}, nullptr);
        QVERIFY(proxies);
        QCOMPARE(proxies->clientAddress(peer, forwardedFor), client);
    }
};

QTEST_GUILESS_MAIN(TestTrustedProxies)
#include "tst_trustedproxies.moc"
