#include "streaming/SourceSniffer.h"

namespace veza::streaming::SourceSniffer {

namespace {

bool isAac(const QByteArray &type)
{
    return type == "audio/aac" || type == "audio/aacp";
}

} // namespace

QByteArray mediaTypeOf(QByteArrayView head)
{
    if (head.size() < headBytes)
        return {};
    if (head.startsWith("OggS"))
        return "audio/ogg";
    if (head.startsWith("\x1A\x45\xDF\xA3"))
        return "audio/webm";
    if (head.startsWith("ID3"))
        return "audio/mpeg";
    const auto first = quint8(head[0]);
    const auto second = quint8(head[1]);
    // A frame header: 11 sync bits, then version (2 bits) and layer (2 bits). ADTS has 12 sync
    // bits and layer 00, which MPEG audio reserves, so the layer tells them apart.
    if (first != 0xFF || (second & 0xE0) != 0xE0)
        return {};
    const int layer = (second >> 1) & 0x3;
    if (layer == 0)
        return (second & 0xF0) == 0xF0 ? QByteArray("audio/aac") : QByteArray();
    return (second & 0x18) == 0x08 ? QByteArray() : QByteArray("audio/mpeg"); // 01: reserved
}

QByteArray reconcile(const QByteArray &declared, QByteArrayView head)
{
    const QByteArray seen = mediaTypeOf(head);
    if (seen.isEmpty() || seen == declared)
        return declared;
    if (isAac(seen) && isAac(declared))
        return declared;
    if (head.startsWith("ID3") && isAac(declared))
        return declared;
    return seen;
}

} // namespace veza::streaming::SourceSniffer
