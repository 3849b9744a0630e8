#include "CraftedSources.h"

#include <QDebug>
#include <QFile>
#include <QProcess>
#include <QtEndian>
#include <array>
#include <optional>

namespace veza::testing {

namespace {

// ---- Ogg (RFC 3533) ----

quint32 oggCrc(QByteArrayView bytes)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> t{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i << 24;
            for (int bit = 0; bit < 8; ++bit)
                c = (c & 0x80000000u) ? (c << 1) ^ 0x04C11DB7u : c << 1;
            t[i] = c;
        }
        return t;
    }();
    quint32 crc = 0;
    for (const char byte : bytes)
        crc = (crc << 8) ^ table[((crc >> 24) ^ quint8(byte)) & 0xFF];
    return crc;
}

constexpr int kPageHeaderBytes = 27;
constexpr quint8 kContinued = 0x01;

qsizetype oggPageSize(const QByteArray &ogg, qsizetype offset)
{
    if (offset + kPageHeaderBytes > ogg.size() || ogg.mid(offset, 4) != "OggS")
        return -1;
    const int segments = quint8(ogg[offset + 26]);
    qsizetype body = 0;
    for (int i = 0; i < segments; ++i)
        body += quint8(ogg[offset + kPageHeaderBytes + i]);
    return kPageHeaderBytes + segments + body;
}

// A page of 255 lacing values of 255: 65025 bytes of one packet that goes on.
QByteArray fullPage(quint32 serial, quint32 sequence, quint8 flags, QByteArrayView body)
{
    QByteArray page("OggS");
    page.append('\0').append(char(flags));
    QByteArray fields(8 + 4 + 4 + 4, '\0');
    qToLittleEndian<qint64>(-1, fields.data()); // no packet ends here
    qToLittleEndian<quint32>(serial, fields.data() + 8);
    qToLittleEndian<quint32>(sequence, fields.data() + 12);
    page.append(fields).append(char(255)).append(QByteArray(255, char(255))).append(body);
    qToLittleEndian<quint32>(oggCrc(page), page.data() + 22);
    return page;
}

// ---- EBML (Matroska) ----

struct Element
{
    quint32 id = 0;
    qsizetype start = 0;     // of its ID
    qsizetype dataStart = 0; // of its content
    qsizetype end = 0;       // past its content (the parent's end for an unknown size)
};

constexpr quint32 kSegment = 0x18538067;
constexpr quint32 kCluster = 0x1F43B675;
constexpr quint32 kSimpleBlock = 0xA3;
constexpr quint32 kBlockGroup = 0xA0;
constexpr quint32 kBlock = 0xA1;
constexpr quint32 kBlockDuration = 0x9B;
constexpr quint32 kCrc32 = 0xBF;

// A variable-length integer at `pos`: its length, and its value (the marker bit kept for IDs).
std::optional<std::pair<int, quint64>> readVint(QByteArrayView bytes, qsizetype pos,
                                                bool keepMarker)
{
    if (pos >= bytes.size())
        return std::nullopt;
    const quint8 first = quint8(bytes[pos]);
    int length = 1;
    while (length <= 8 && !(first & (0x80 >> (length - 1))))
        ++length;
    if (length > 8 || pos + length > bytes.size())
        return std::nullopt;
    quint64 value = keepMarker ? first : first & (0xFF >> length);
    for (int i = 1; i < length; ++i)
        value = (value << 8) | quint8(bytes[pos + i]);
    return std::make_pair(length, value);
}

QList<Element> children(QByteArrayView bytes, qsizetype from, qsizetype to)
{
    QList<Element> elements;
    qsizetype pos = from;
    while (pos < to) {
        const auto id = readVint(bytes, pos, true);
        const auto size = id ? readVint(bytes, pos + id->first, false) : std::nullopt;
        if (!size)
            break;
        Element element{quint32(id->second), pos, pos + id->first + size->first, to};
        const bool unknown = size->second == (quint64(1) << (7 * size->first)) - 1;
        if (!unknown)
            element.end = qMin<qsizetype>(to, element.dataStart + qsizetype(size->second));
        elements.append(element);
        pos = element.end;
    }
    return elements;
}

QByteArray encodeId(quint32 id)
{
    QByteArray bytes;
    for (quint32 rest = id; rest; rest >>= 8)
        bytes.prepend(char(rest & 0xFF));
    return bytes;
}

// An element with an 8-byte size field: always valid, whatever the content's length.
QByteArray element(quint32 id, const QByteArray &content)
{
    QByteArray size(8, '\0');
    qToBigEndian<quint64>(quint64(content.size()) | (quint64(1) << 56), size.data());
    return encodeId(id) + size + content;
}

QByteArray rewriteCluster(QByteArrayView bytes, const Element &cluster, quint64 duration)
{
    QByteArray content;
    for (const Element &child : children(bytes, cluster.dataStart, cluster.end)) {
        const QByteArrayView data = bytes.sliced(child.dataStart, child.end - child.dataStart);
        if (child.id == kCrc32)
            continue; // would no longer match
        if (child.id != kSimpleBlock) {
            content += bytes.sliced(child.start, child.end - child.start).toByteArray();
            continue;
        }
        QByteArray claimed(8, '\0');
        qToBigEndian<quint64>(duration, claimed.data());
        content += element(kBlockGroup,
                           element(kBlock, data.toByteArray()) + element(kBlockDuration, claimed));
    }
    return element(kCluster, content);
}

} // namespace

QByteArray ffmpegFile(const QStringList &arguments, const QString &path)
{
    QProcess ffmpeg;
    ffmpeg.start(QStringLiteral("ffmpeg"),
                 QStringList{"-hide_banner", "-loglevel", "error", "-nostdin"} + arguments +
                     QStringList{"-y", path});
    if (!ffmpeg.waitForFinished(60000) || ffmpeg.exitCode() != 0) {
        qWarning() << "ffmpeg failed:" << arguments << ffmpeg.readAllStandardError();
        return {};
    }
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray endlessOggPacket(const QByteArray &oggOpus, qsizetype bytes)
{
    const qsizetype head = oggPageSize(oggOpus, 0);
    const qsizetype tags = head > 0 ? oggPageSize(oggOpus, head) : -1;
    if (tags <= 0)
        return {};
    QByteArray out = oggOpus.first(head + tags);
    const quint32 serial = qFromLittleEndian<quint32>(oggOpus.constData() + 14);
    // A 20 ms CELT frame's TOC byte, then zeros: Opus that starts like audio and never stops.
    QByteArray body(255 * 255, '\0');
    body[0] = char(0xFC);
    for (quint32 sequence = 2; out.size() < bytes; ++sequence) {
        out += fullPage(serial, sequence, sequence == 2 ? 0 : kContinued, body);
        body[0] = '\0';
    }
    return out;
}

QByteArray withBlockDurations(const QByteArray &matroska, quint64 duration)
{
    QByteArray out;
    for (const Element &top : children(matroska, 0, matroska.size())) {
        if (top.id != kSegment) {
            out += matroska.mid(top.start, top.end - top.start);
            continue;
        }
        out += encodeId(kSegment) + QByteArray::fromHex("01ffffffffffffff"); // unknown size
        for (const Element &child : children(matroska, top.dataStart, top.end)) {
            if (child.id == kCluster)
                out += rewriteCluster(matroska, child, duration);
            else if (child.id != kCrc32)
                out += matroska.mid(child.start, child.end - child.start);
        }
    }
    return out;
}

} // namespace veza::testing
