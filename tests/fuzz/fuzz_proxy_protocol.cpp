// Fuzz target: the PROXY protocol header parser (v1 and v2) that reads a trusted proxy's first
// bytes. Every prefix of the input is parsed, as a connection would see its bytes arrive: a
// verdict other than Incomplete never changes with more bytes, Incomplete never lasts past a
// header's bound (what a connection may buffer), and a parsed header names no address or one
// written as the server writes peer addresses.
#include "FuzzSupport.h"
#include "net/PeerAddress.h"
#include "net/ProxyProtocol.h"

#include <QHostAddress>

using veza::net::parseProxyHeader;
using veza::net::ProxyHeader;
using Status = ProxyHeader::Status;

namespace {

constexpr qsizetype kLongestHeader = ProxyHeader::kV2FixedBytes + ProxyHeader::kMaxV2PayloadBytes;

bool sameVerdict(const ProxyHeader &a, const ProxyHeader &b)
{
    return a.status == b.status && a.consumed == b.consumed && a.sourceAddress == b.sourceAddress &&
           qstrcmp(a.reason, b.reason) == 0;
}

void checkVerdict(const ProxyHeader &header, QByteArrayView bytes)
{
    switch (header.status) {
    case Status::Incomplete:
        FUZZ_CHECK(bytes.size() < kLongestHeader); // memory bounded per connection
        break;
    case Status::NotProxy:
        FUZZ_CHECK(!bytes.startsWith("PROXY ") &&
                   !bytes.startsWith(QByteArrayView("\r\n\r\n\0\r\nQUIT\n", 12)));
        break;
    case Status::Invalid:
        FUZZ_CHECK(qstrlen(header.reason) > 0);
        break;
    case Status::Parsed:
        FUZZ_CHECK(header.consumed > 0 && header.consumed <= bytes.size());
        FUZZ_CHECK(header.consumed <= kLongestHeader);
        if (bytes.startsWith("PROXY "))
            FUZZ_CHECK(header.consumed <= ProxyHeader::kMaxV1Bytes &&
                       bytes.first(header.consumed).endsWith("\r\n"));
        if (!header.sourceAddress.isEmpty()) {
            const QHostAddress address(header.sourceAddress);
            FUZZ_CHECK(!address.isNull());
            FUZZ_CHECK(address.scopeId().isEmpty());
            FUZZ_CHECK(veza::net::plainPeerAddress(header.sourceAddress) == header.sourceAddress);
        }
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    veza::fuzz::quietQtLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView data(bytes, qsizetype(size));
    const ProxyHeader whole = parseProxyHeader(data);
    checkVerdict(whole, data);
    // Prefixes up to the first final verdict, then a few beyond it.
    for (qsizetype length = 0; length <= data.size(); ++length) {
        const ProxyHeader prefix = parseProxyHeader(data.first(length));
        checkVerdict(prefix, data.first(length));
        if (prefix.status != Status::Incomplete) {
            FUZZ_CHECK(sameVerdict(prefix, whole));
            FUZZ_CHECK(
                sameVerdict(parseProxyHeader(data.first((length + data.size()) / 2)), whole));
            break;
        }
    }
    return 0;
}
