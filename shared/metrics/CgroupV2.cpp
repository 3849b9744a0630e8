#include "metrics/CgroupV2.h"

#include "metrics/SmallFile.h"

#include <QDir>
#include <QFileInfo>
#include <QList>
#include <algorithm>

namespace veza::metrics {

namespace {

std::optional<double> number(const QByteArray &text)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

std::optional<double> smallest(std::optional<double> a, std::optional<double> b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return std::min(*a, *b);
}

} // namespace

std::optional<CgroupV2> CgroupV2::locate(const QString &mountRoot, const QString &selfCgroupFile)
{
    const QString root = QDir::cleanPath(mountRoot);
    // Only the unified hierarchy has this file at its root.
    if (!QFileInfo::exists(root + QStringLiteral("/cgroup.controllers")))
        return std::nullopt;
    QString path;
    for (const QByteArray &line : readSmallFile(selfCgroupFile).split('\n')) {
        if (line.startsWith("0::"))
            path = QString::fromUtf8(line.mid(3));
    }
    const QString directory = QDir::cleanPath(root + QLatin1Char('/') + path);
    const bool inside = directory == root || directory.startsWith(root + QLatin1Char('/'));
    if (path.isEmpty() || !inside || !QFileInfo(directory).isDir())
        return CgroupV2(root, root);
    return CgroupV2(root, directory);
}

CgroupV2::CgroupV2(QString mountRoot, QString directory)
    : m_mountRoot(std::move(mountRoot))
    , m_directory(std::move(directory))
{
}

QStringList CgroupV2::limitDirectories() const
{
    QStringList directories;
    for (QString dir = m_directory; dir.startsWith(m_mountRoot); dir = QFileInfo(dir).path()) {
        directories.append(dir);
        if (dir == m_mountRoot)
            break;
    }
    return directories;
}

std::optional<double> CgroupV2::keyedValue(const QByteArray &text, const QByteArray &key)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.size() > key.size() && line.startsWith(key) && line.at(key.size()) == ' ')
            return number(line.mid(key.size() + 1));
    }
    return std::nullopt;
}

std::optional<double> CgroupV2::cpuSeconds() const
{
    const auto usec = keyedValue(readSmallFile(m_directory + QStringLiteral("/cpu.stat")),
                                 QByteArrayLiteral("usage_usec"));
    return usec ? std::optional<double>(*usec / 1e6) : std::nullopt;
}

std::optional<double> CgroupV2::cpuLimitCores() const
{
    std::optional<double> cores;
    for (const QString &dir : limitDirectories()) {
        // "QUOTA PERIOD" in microseconds, or "max PERIOD" for no limit.
        const QList<QByteArray> fields =
            readSmallFile(dir + QStringLiteral("/cpu.max")).simplified().split(' ');
        if (fields.size() != 2)
            continue;
        const auto quota = number(fields[0]);
        const auto period = number(fields[1]);
        if (quota && period && *quota > 0 && *period > 0)
            cores = smallest(cores, *quota / *period);
    }
    return cores;
}

std::optional<double> CgroupV2::memoryWorkingSetBytes() const
{
    const auto current = number(readSmallFile(m_directory + QStringLiteral("/memory.current")));
    if (!current)
        return std::nullopt;
    const auto inactive = keyedValue(readSmallFile(m_directory + QStringLiteral("/memory.stat")),
                                     QByteArrayLiteral("inactive_file"));
    return std::max(0.0, *current - inactive.value_or(0));
}

std::optional<double> CgroupV2::memoryLimitBytes() const
{
    std::optional<double> limit;
    for (const QString &dir : limitDirectories()) {
        const auto bytes = number(readSmallFile(dir + QStringLiteral("/memory.max")));
        if (bytes && *bytes > 0) // "max" does not parse: no limit there
            limit = smallest(limit, bytes);
    }
    return limit;
}

} // namespace veza::metrics
