// What the fuzz targets share: a check that stops the run with a message (libFuzzer then saves
// the input as a crash), quiet logs, and a repeatable way to cut an input into pieces, as TCP
// may deliver it.
#pragma once

#include <QByteArrayView>
#include <QString>
#include <QtGlobal>
#include <cstdio>
#include <cstdlib>

// An invariant of the code under test; failing it is a finding, like a sanitizer report.
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ::veza::fuzz::checkFailed(#condition, __FILE__, __LINE__);                             \
    } while (false)

namespace veza::fuzz {

[[noreturn]] inline void checkFailed(const char *condition, const char *file, int line)
{
    std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", condition, file, line);
    std::abort();
}

// Drops Qt's log output (the code under test warns about every bad input, which would drown
// libFuzzer's own lines and slow it down); a qFatal still aborts.
inline void quietQtLogs()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &text) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "qFatal: %s\n", qPrintable(text));
            std::abort();
        }
    });
}

// Calls piece(QByteArrayView) on consecutive pieces of `data`, 1 to maxPiece bytes each. The
// cuts depend only on the bytes, so a saved input replays exactly.
template <typename Piece> void forEachPiece(QByteArrayView data, int maxPiece, Piece piece)
{
    quint64 state = 0xcbf29ce484222325ULL; // FNV-1a of the input seeds a xorshift generator
    for (const char c : data)
        state = (state ^ quint8(c)) * 0x100000001b3ULL;
    qsizetype offset = 0;
    while (offset < data.size()) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        const qsizetype size =
            qMin<qsizetype>(1 + qsizetype(state % quint64(maxPiece)), data.size() - offset);
        piece(data.sliced(offset, size));
        offset += size;
    }
}

} // namespace veza::fuzz
