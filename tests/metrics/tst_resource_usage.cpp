// cpu_usage_percent and memory_usage_percent's sources: a cgroup v2 hierarchy made of files
// the test writes (limits on the cgroup or a parent, none at all), the machine's /proc files
// when there is no cgroup v2, and the real machine's figures being sane.
#include "metrics/CgroupV2.h"
#include "metrics/MetricsRegistry.h"
#include "metrics/ResourceMetrics.h"
#include "metrics/ResourceUsage.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <cmath>

using namespace veza::metrics;

namespace {

constexpr double MiB = 1024.0 * 1024.0;

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    file.write(content);
}

// A fake /proc (self/cgroup naming `cgroupPath`, meminfo) and a cgroup v2 mount in `dir`.
struct FakeSystem
{
    QTemporaryDir dir;

    QString cgroupRoot() const { return dir.filePath(QStringLiteral("cgroup")); }
    QString procRoot() const { return dir.filePath(QStringLiteral("proc")); }
    // A file of the cgroup at `path` ("/" the mount root).
    QString cgroupFile(const QString &path, const char *name) const
    {
        return QDir::cleanPath(cgroupRoot() + QLatin1Char('/') + path + QLatin1Char('/') +
                               QLatin1String(name));
    }

    void setUp(const QString &cgroupPath, double machineMemoryBytes)
    {
        writeFile(cgroupFile(QStringLiteral("/"), "cgroup.controllers"), "cpu memory pids\n");
        QDir().mkpath(QDir::cleanPath(cgroupRoot() + QLatin1Char('/') + cgroupPath));
        writeFile(procRoot() + QStringLiteral("/self/cgroup"), "0::" + cgroupPath.toUtf8() + '\n');
        writeFile(procRoot() + QStringLiteral("/meminfo"),
                  "MemTotal:       " + QByteArray::number(qint64(machineMemoryBytes / 1024)) +
                      " kB\nMemFree:         1000 kB\nMemAvailable:   " +
                      QByteArray::number(qint64(machineMemoryBytes / 4096)) + " kB\n");
    }

    ResourceUsage usage(int cpus) const
    {
        return ResourceUsage(ResourceSources{cgroupRoot(), procRoot(), cpus});
    }
};

} // namespace

class TstResourceUsage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cgroupLimits_data();
    void cgroupLimits();
    void cgroupCpuPercent();
    void cgroupNamedPathMissingFallsBackToTheRoot();
    void machineWithoutCgroupV2();
    void realMachineIsSane();
    void metricsFollowTheCgroup();
};

void TstResourceUsage::cgroupLimits_data()
{
    QTest::addColumn<QByteArray>("cpuMax");          // the process's cgroup
    QTest::addColumn<QByteArray>("parentCpuMax");    // its parent's ("": no file)
    QTest::addColumn<QByteArray>("memoryMax");       // the process's cgroup
    QTest::addColumn<QByteArray>("parentMemoryMax"); // its parent's
    QTest::addColumn<int>("cpus");                   // CPUs the process may run on
    QTest::addColumn<double>("cores");
    QTest::addColumn<double>("memoryLimit");

    const double machine = 16384 * MiB;
    QTest::newRow("container limits")
        << QByteArray("150000 100000\n") << QByteArray() << QByteArray("1073741824\n")
        << QByteArray() << 4 << 1.5 << 1024 * MiB;
    QTest::newRow("none: the machine")
        << QByteArray("max 100000\n") << QByteArray("max 100000\n") << QByteArray("max\n")
        << QByteArray("max\n") << 4 << 4.0 << machine;
    QTest::newRow("a parent's is tighter")
        << QByteArray("400000 100000\n") << QByteArray("50000 100000\n") << QByteArray("max\n")
        << QByteArray("536870912\n") << 4 << 0.5 << 512 * MiB;
    QTest::newRow("the tightest of both")
        << QByteArray("100000 100000\n") << QByteArray("300000 100000\n")
        << QByteArray("268435456\n") << QByteArray("536870912\n") << 4 << 1.0 << 256 * MiB;
    QTest::newRow("above what the machine has")
        << QByteArray("800000 100000\n") << QByteArray() << QByteArray("1099511627776\n")
        << QByteArray() << 2 << 2.0 << machine;
}

void TstResourceUsage::cgroupLimits()
{
    QFETCH(QByteArray, cpuMax);
    QFETCH(QByteArray, parentCpuMax);
    QFETCH(QByteArray, memoryMax);
    QFETCH(QByteArray, parentMemoryMax);
    QFETCH(int, cpus);

    FakeSystem fake;
    const QString self = QStringLiteral("/kubepods.slice/pod1/veza");
    const QString parent = QStringLiteral("/kubepods.slice/pod1");
    fake.setUp(self, 16384 * MiB);
    writeFile(fake.cgroupFile(self, "cpu.max"), cpuMax);
    writeFile(fake.cgroupFile(self, "memory.max"), memoryMax);
    if (!parentCpuMax.isEmpty())
        writeFile(fake.cgroupFile(parent, "cpu.max"), parentCpuMax);
    if (!parentMemoryMax.isEmpty())
        writeFile(fake.cgroupFile(parent, "memory.max"), parentMemoryMax);
    writeFile(fake.cgroupFile(self, "cpu.stat"),
              "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
    writeFile(fake.cgroupFile(self, "memory.current"), QByteArray::number(qint64(300 * MiB)));
    writeFile(fake.cgroupFile(self, "memory.stat"), "anon 1000\nactive_file 5000\ninactive_file " +
                                                        QByteArray::number(qint64(44 * MiB)) +
                                                        "\n");

    const ResourceUsage::Sample s = fake.usage(cpus).sample();
    QVERIFY(s.cgroup);
    QTEST(s.cpuCores, "cores");
    QTEST(s.memoryLimitBytes, "memoryLimit");
    QCOMPARE(s.cpuSeconds, 2.5);
    // The working set: what the kernel cannot take back by dropping inactive file cache.
    QCOMPARE(s.memoryBytes, 256 * MiB);
    QFETCH(double, memoryLimit);
    QCOMPARE(ResourceUsage::memoryPercent(s), 256 * MiB / memoryLimit * 100);
}

void TstResourceUsage::cgroupCpuPercent()
{
    FakeSystem fake;
    fake.setUp(QStringLiteral("/"), 8192 * MiB);
    writeFile(fake.cgroupFile(QStringLiteral("/"), "cpu.max"), "200000 100000\n");
    writeFile(fake.cgroupFile(QStringLiteral("/"), "cpu.stat"), "usage_usec 1000000\n");
    const ResourceUsage usage = fake.usage(8);
    const ResourceUsage::Sample before = usage.sample();
    // 3 s of CPU in 2 s on 2 allowed cores: 75 % of the limit.
    writeFile(fake.cgroupFile(QStringLiteral("/"), "cpu.stat"), "usage_usec 4000000\n");
    const ResourceUsage::Sample after = usage.sample();
    QCOMPARE(after.cpuCores, 2.0);
    QCOMPARE(ResourceUsage::cpuPercent(before, after, 2.0), 75.0);
    QCOMPARE(ResourceUsage::cpuPercent(before, after, 0.0), 0.0);
    QVERIFY(usage.describe().startsWith(QStringLiteral("cgroup v2 ")));
}

void TstResourceUsage::cgroupNamedPathMissingFallsBackToTheRoot()
{
    // A private cgroup namespace mounts the container's own cgroup as the root while
    // /proc/self/cgroup may still name a path of the host's hierarchy.
    FakeSystem fake;
    fake.setUp(QStringLiteral("/"), 8192 * MiB);
    writeFile(fake.procRoot() + QStringLiteral("/self/cgroup"), "0::/system.slice/veza.service\n");
    writeFile(fake.cgroupFile(QStringLiteral("/"), "memory.max"), "2147483648\n");
    const auto cgroup = CgroupV2::locate(fake.cgroupRoot(), fake.procRoot() + "/self/cgroup");
    QVERIFY(cgroup);
    QCOMPARE(cgroup->directory(), QDir::cleanPath(fake.cgroupRoot()));
    QCOMPARE(cgroup->memoryLimitBytes().value_or(-1), 2048 * MiB);
}

void TstResourceUsage::machineWithoutCgroupV2()
{
    FakeSystem fake; // no cgroup.controllers: cgroup v1 or none
    writeFile(fake.procRoot() + QStringLiteral("/stat"), "cpu  1000 100 400 5000 200 0 50 25 0 0\n"
                                                         "cpu0 500 50 200 2500 100 0 25 13 0 0\n"
                                                         "cpu1 500 50 200 2500 100 0 25 12 0 0\n"
                                                         "intr 12345\nbtime 1700000000\n");
    writeFile(fake.procRoot() + QStringLiteral("/meminfo"),
              "MemTotal:       8000000 kB\nMemFree:         1000000 kB\n"
              "MemAvailable:    6000000 kB\n");
    const ResourceUsage usage = fake.usage(0);
    const ResourceUsage::Sample s = usage.sample();
    QVERIFY(!s.cgroup);
    QCOMPARE(usage.describe(), QStringLiteral("machine"));
    QCOMPARE(s.cpuCores, 2.0);
    // user + nice + system + irq + softirq + steal, in clock ticks (idle and iowait are not).
    QVERIFY(std::abs(s.cpuSeconds * sysconf(_SC_CLK_TCK) - 1575) < 1e-6);
    QCOMPARE(s.memoryLimitBytes, 8000000 * 1024.0);
    QCOMPARE(s.memoryBytes, 2000000 * 1024.0);
    QCOMPARE(ResourceUsage::memoryPercent(s), 25.0);
}

void TstResourceUsage::realMachineIsSane()
{
    const ResourceUsage usage;
    const ResourceUsage::Sample before = usage.sample();
    QVERIFY2(before.cpuCores > 0 && before.cpuCores <= QThread::idealThreadCount() + 0.001,
             qPrintable(QString::number(before.cpuCores)));
    QVERIFY(before.memoryLimitBytes > 64 * MiB);
    QVERIFY2(before.memoryBytes > 0 && before.memoryBytes <= before.memoryLimitBytes,
             qPrintable(
                 QStringLiteral("%1 of %2").arg(before.memoryBytes).arg(before.memoryLimitBytes)));
    QVERIFY(before.cpuSeconds > 0);

    // Busy for 300 ms: the CPU time goes up by about that much (plus whatever else runs).
    QElapsedTimer timer;
    timer.start();
    volatile double sink = 0;
    while (timer.elapsed() < 300)
        sink = sink + std::sqrt(double(timer.nsecsElapsed()));
    const ResourceUsage::Sample after = usage.sample();
    const double wall = timer.nsecsElapsed() / 1e9;
    const double percent = ResourceUsage::cpuPercent(before, after, wall);
    QVERIFY2(after.cpuSeconds - before.cpuSeconds > 0.1, qPrintable(usage.describe()));
    // At least our one busy core's share of the capacity, at most all of it (and rounding).
    QVERIFY2(percent > 100.0 / before.cpuCores / 3 && percent < 105,
             qPrintable(QString::number(percent)));
}

void TstResourceUsage::metricsFollowTheCgroup()
{
    FakeSystem fake;
    fake.setUp(QStringLiteral("/"), 8192 * MiB);
    writeFile(fake.cgroupFile(QStringLiteral("/"), "memory.max"), "1073741824\n");
    writeFile(fake.cgroupFile(QStringLiteral("/"), "memory.current"), "536870912\n");
    writeFile(fake.cgroupFile(QStringLiteral("/"), "memory.stat"), "inactive_file 0\n");
    writeFile(fake.cgroupFile(QStringLiteral("/"), "cpu.max"), "100000 100000\n");
    writeFile(fake.cgroupFile(QStringLiteral("/"), "cpu.stat"), "usage_usec 0\n");

    MetricsRegistry registry;
    ResourceMetrics metrics(registry, {fake.cgroupRoot(), fake.procRoot(), 4});
    QVERIFY(registry.render().contains("\nmemory_usage_percent 50\n"));
    QTest::qWait(200);
    // Far more CPU than one core gives in 200 ms: the figure says so rather than capping it.
    writeFile(fake.cgroupFile(QStringLiteral("/"), "cpu.stat"), "usage_usec 1000000\n");
    const QByteArray text = registry.render();
    const qsizetype at = text.indexOf("\ncpu_usage_percent ");
    QVERIFY(at >= 0);
    const double percent = text.mid(at + 19, text.indexOf('\n', at + 1) - at - 19).toDouble();
    QVERIFY2(percent > 100 && percent < 600, qPrintable(QString::number(percent)));
}

QTEST_GUILESS_MAIN(TstResourceUsage)
#include "tst_resource_usage.moc"
