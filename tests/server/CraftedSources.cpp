#include "CraftedSources.h"

#include <QDebug>
#include <QFile>
#include <QProcess>
#include <QtEndian>
#include <array>

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

} // namespace veza::testing
