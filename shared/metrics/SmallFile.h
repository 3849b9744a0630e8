#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <fcntl.h>
#include <unistd.h>

namespace veza::metrics {

// The whole of a small /proc or /sys file, empty when it cannot be read. Such files report
// size 0, so this reads until EOF instead of trusting stat(); a plain read() also avoids
// QFile's buffering on paths hit at every scrape.
inline QByteArray readSmallFile(const QString &path)
{
    QByteArray data;
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return data;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        data.append(buffer, n);
    }
    ::close(fd);
    return data;
}

} // namespace veza::metrics
