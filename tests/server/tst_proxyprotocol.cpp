// The PROXY protocol header parser on its own: versions 1 and 2 as load balancers send them,
// the client address written as everywhere else in the server, a header cut anywhere only
// incomplete, anything else recognised from its first differing byte, and every departure
// from the specification refused with a reason.
#include "net/ProxyProtocol.h"

#include <QTest>

using veza::net::parseProxyHeader;
using veza::net::ProxyHeader;
using Status = ProxyHeader::Status;

namespace {

const QByteArray kV2Signature("\r\n\r\n\0\r\nQUIT\n", 12);

// A version 2 header: version and command, family and transport, then `payload` (addresses
// and TLVs) announced with `length` bytes (by default its own size).
QByteArray v2(quint8 versionCommand, quint8 familyTransport, const QByteArray &payload,
              int length = -1)
{
    QByteArray header = kV2Signature;
    header.append(char(versionCommand)).append(char(familyTransport));
    const quint16 announced = quint16(length < 0 ? payload.size() : length);
    header.append(char(announced >> 8)).append(char(announced & 0xFF));
    return header + payload;
}

QByteArray ipv4Addresses() // 203.0.113.7:56324 -> 10.0.0.1:443
{
    return QByteArray::fromHex("cb007107"
                               "0a000001"
                               "dc04"
                               "01bb");
}

QByteArray ipv6Addresses(const QByteArray &sourceHex = "20010db8000000000000000000000001")
{
    return QByteArray::fromHex(sourceHex + "20010db8000000000000000000000002"
                                           "dc04"
                                           "01bb");
}

constexpr quint8 kProxy = 0x21, kLocal = 0x20;
constexpr quint8 kTcp4 = 0x11, kTcp6 = 0x21, kUdp4 = 0x12, kUnixStream = 0x31, kUnspec = 0x00;

} // namespace

class TestProxyProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headers_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("source");
        QTest::newRow("v1 TCP4") << QByteArray("PROXY TCP4 203.0.113.7 10.0.0.1 56324 443\r\n")
                                 << "203.0.113.7";
        QTest::newRow("v1 TCP6") << QByteArray("PROXY TCP6 2001:DB8::1 2001:db8::2 0 65535\r\n")
                                 << "2001:db8::1";
        QTest::newRow("v1 TCP6, IPv4-mapped")
            << QByteArray("PROXY TCP6 ::ffff:203.0.113.7 ::ffff:10.0.0.1 1 2\r\n") << "203.0.113.7";
        QTest::newRow("v1 UNKNOWN") << QByteArray("PROXY UNKNOWN\r\n") << QString();
        // The specification's longest line, 107 bytes.
        QTest::newRow("v1 UNKNOWN, longest")
            << QByteArray("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
                          "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n")
            << QString();
        QTest::newRow("v2 PROXY TCP4") << v2(kProxy, kTcp4, ipv4Addresses()) << "203.0.113.7";
        QTest::newRow("v2 PROXY TCP6") << v2(kProxy, kTcp6, ipv6Addresses()) << "2001:db8::1";
        QTest::newRow("v2 PROXY TCP6, IPv4-mapped")
            << v2(kProxy, kTcp6, ipv6Addresses("00000000000000000000ffffcb007107"))
            << "203.0.113.7";
        QTest::newRow("v2 TLVs skipped")
            << v2(kProxy, kTcp4,
                  ipv4Addresses() + QByteArray::fromHex("0400030a0b0c"     // NOOP
                                                        "ea000401020304")) // AWS vpce id
            << "203.0.113.7";
        QTest::newRow("v2 largest")
            << v2(kProxy, kTcp4, ipv4Addresses() + QByteArray(524, '\x04')) << "203.0.113.7";
        QTest::newRow("v2 LOCAL") << v2(kLocal, kUnspec, {}) << QString();
        QTest::newRow("v2 LOCAL with addresses") << v2(kLocal, kTcp4, ipv4Addresses()) << QString();
        QTest::newRow("v2 LOCAL, short addresses") << v2(kLocal, kTcp6, "x") << QString();
        QTest::newRow("v2 AF_UNIX") << v2(kProxy, kUnixStream, QByteArray(216, 'u')) << QString();
        QTest::newRow("v2 AF_UNSPEC") << v2(kProxy, kUnspec, {}) << QString();
        QTest::newRow("v2 UDP") << v2(kProxy, kUdp4, ipv4Addresses()) << QString();
    }

    // The header is consumed, not a byte more, and names its client (or none).
    void headers()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, source);
        const ProxyHeader parsed = parseProxyHeader(QByteArray(header + "GET / HTTP/1.1\r\n"));
        QCOMPARE(parsed.status, Status::Parsed);
        QCOMPARE(parsed.consumed, header.size());
        QCOMPARE(parsed.sourceAddress, source);
    }

    // However the header is cut, its start asks for more, never a verdict.
    void cutHeadersAreIncomplete_data() { headers_data(); }
    void cutHeadersAreIncomplete()
    {
        QFETCH(QByteArray, header);
        for (qsizetype size = 0; size < header.size(); ++size) {
            const ProxyHeader parsed = parseProxyHeader(header.first(size));
            QVERIFY2(parsed.status == Status::Incomplete,
                     qPrintable(QStringLiteral("at %1 bytes: %2").arg(size).arg(parsed.reason)));
        }
    }

    void notHeaders_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("GET") << QByteArray("G");
        QTest::newRow("POST") << QByteArray("PO");
        QTest::newRow("PUT") << QByteArray("PU");
        QTest::newRow("PROXYX") << QByteArray("PROXYX");
        QTest::newRow("lower case") << QByteArray("proxy TCP4");
        QTest::newRow("empty line before a request") << QByteArray("\r\nG");
        QTest::newRow("almost v2") << QByteArray("\r\n\r\n\0\r\nQUIT\r", 12);
        QTest::newRow("TLS ClientHello") << QByteArray::fromHex("160301");
    }

    // Recognised from the first byte that no header could have.
    void notHeaders()
    {
        QFETCH(QByteArray, bytes);
        QCOMPARE(parseProxyHeader(bytes).status, Status::NotProxy);
        QCOMPARE(parseProxyHeader(QByteArray(bytes + "more bytes")).status, Status::NotProxy);
    }

    void invalidHeaders_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("v1 LF alone") << QByteArray("PROXY TCP4 203.0.113.7 10.0.0.1 1 2\n");
        QTest::newRow("v1 CR alone") << QByteArray("PROXY TCP4 203.0.113.7 10.0.0.1 1 2\r\r\n");
        QTest::newRow("v1 nothing") << QByteArray("PROXY \r\n");
        QTest::newRow("v1 protocol alone") << QByteArray("PROXY TCP4\r\n");
        QTest::newRow("v1 unknown protocol") << QByteArray("PROXY UDP4 1.2.3.4 1.2.3.5 1 2\r\n");
        QTest::newRow("v1 UNKNOWN glued") << QByteArray("PROXY UNKNOWNX\r\n");
        QTest::newRow("v1 lower case") << QByteArray("PROXY tcp4 1.2.3.4 1.2.3.5 1 2\r\n");
        QTest::newRow("v1 double space") << QByteArray("PROXY TCP4  1.2.3.4 1.2.3.5 1 2\r\n");
        QTest::newRow("v1 trailing space") << QByteArray("PROXY TCP4 1.2.3.4 1.2.3.5 1 2 \r\n");
        QTest::newRow("v1 a field missing") << QByteArray("PROXY TCP4 1.2.3.4 1.2.3.5 1\r\n");
        QTest::newRow("v1 a field more") << QByteArray("PROXY TCP4 1.2.3.4 1.2.3.5 1 2 3\r\n");
        QTest::newRow("v1 TCP4 with IPv6") << QByteArray("PROXY TCP4 2001:db8::1 1.2.3.5 1 2\r\n");
        QTest::newRow("v1 TCP6 with IPv4") << QByteArray("PROXY TCP6 1.2.3.4 2001:db8::2 1 2\r\n");
        QTest::newRow("v1 bad destination") << QByteArray("PROXY TCP4 1.2.3.4 1.2.3 1 2\r\n");
        QTest::newRow("v1 shortened IPv4") << QByteArray("PROXY TCP4 127.1 1.2.3.5 1 2\r\n");
        QTest::newRow("v1 octal IPv4") << QByteArray("PROXY TCP4 010.1.2.3 1.2.3.5 1 2\r\n");
        QTest::newRow("v1 IPv4 over 255") << QByteArray("PROXY TCP4 1.2.3.256 1.2.3.5 1 2\r\n");
        QTest::newRow("v1 host name") << QByteArray("PROXY TCP4 localhost 1.2.3.5 1 2\r\n");
        QTest::newRow("v1 IPv6 scope") << QByteArray("PROXY TCP6 fe80::1%eth0 fe80::2 1 2\r\n");
        QTest::newRow("v1 port too big") << QByteArray("PROXY TCP4 1.2.3.4 1.2.3.5 65536 2\r\n");
        QTest::newRow("v1 port leading zero") << QByteArray("PROXY TCP4 1.2.3.4 1.2.3.5 080 2\r\n");
        QTest::newRow("v1 port signed") << QByteArray("PROXY TCP4 1.2.3.4 1.2.3.5 +80 2\r\n");
        QTest::newRow("v1 port long") << QByteArray("PROXY TCP4 1.2.3.4 1.2.3.5 1 000001\r\n");
        QTest::newRow("v1 NUL in a field")
            << QByteArray("PROXY TCP4 1.2.3.4\0 1.2.3.5 1 2\r\n", 34);
        QTest::newRow("v1 too long") << QByteArray("PROXY UNKNOWN " + QByteArray(93, 'x') + "\r\n");
        QTest::newRow("v1 no end") << QByteArray("PROXY TCP4 " + QByteArray(96, '1'));
        QTest::newRow("v2 version 1") << v2(0x11, kTcp4, ipv4Addresses());
        QTest::newRow("v2 version 3") << v2(0x31, kTcp4, ipv4Addresses());
        QTest::newRow("v2 command 2") << v2(0x22, kTcp4, ipv4Addresses());
        QTest::newRow("v2 family 4") << v2(kProxy, 0x41, ipv4Addresses());
        QTest::newRow("v2 transport 3") << v2(kProxy, 0x13, ipv4Addresses());
        QTest::newRow("v2 too long") << v2(kProxy, kTcp4, {}, 537);
        QTest::newRow("v2 longest length") << v2(kProxy, kTcp4, {}, 0xFFFF);
        QTest::newRow("v2 IPv4 short") << v2(kProxy, kTcp4, ipv4Addresses().first(11));
        QTest::newRow("v2 IPv6 short") << v2(kProxy, kTcp6, ipv6Addresses().first(35));
        QTest::newRow("v2 AF_UNIX short") << v2(kProxy, kUnixStream, QByteArray(215, 'u'));
    }

    // Refused with a reason, and more bytes do not change the verdict.
    void invalidHeaders()
    {
        QFETCH(QByteArray, bytes);
        const ProxyHeader parsed = parseProxyHeader(bytes);
        QCOMPARE(parsed.status, Status::Invalid);
        QVERIFY(qstrlen(parsed.reason) > 0);
        QCOMPARE(parseProxyHeader(QByteArray(bytes + QByteArray(600, '\n'))).status,
                 Status::Invalid);
    }

    // A version 1 line longer than the bound is refused as soon as the bound is reached, so a
    // connection never buffers more than that waiting for its end.
    void longLinesAreRefusedAtTheBound()
    {
        const QByteArray line = QByteArray("PROXY UNKNOWN ") + QByteArray(200, 'x');
        QCOMPARE(parseProxyHeader(line.first(ProxyHeader::kMaxV1Bytes - 1)).status,
                 Status::Incomplete);
        QCOMPARE(parseProxyHeader(line.first(ProxyHeader::kMaxV1Bytes)).status, Status::Invalid);
    }
};

QTEST_APPLESS_MAIN(TestProxyProtocol)
#include "tst_proxyprotocol.moc"
