#include "support/PostgresHarness.h"

#include "support/FreePort.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVersionNumber>
#include <pwd.h>
#include <unistd.h>

namespace veza::testing {

namespace {

const QString kSuperuser = QStringLiteral("veza");
const QString kSystemUser = QStringLiteral("postgres");

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

// Gives the temp tree to the postgres user (root runs only).
bool chownTree(const QString &path, uid_t uid, gid_t gid)
{
    if (::chown(QFile::encodeName(path).constData(), uid, gid) != 0)
        return false;
    const QFileInfoList entries =
        QDir(path).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QFileInfo &entry : entries) {
        if (entry.isDir() && !entry.isSymLink()) {
            if (!chownTree(entry.filePath(), uid, gid))
                return false;
        } else if (::lchown(QFile::encodeName(entry.filePath()).constData(), uid, gid) != 0) {
            return false;
        }
    }
    return true;
}

} // namespace

PostgresHarness::PostgresHarness() = default;

PostgresHarness::~PostgresHarness()
{
    if (m_running)
        runTool(QStringLiteral("pg_ctl"),
                {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-m"),
                 QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")},
                30000);
}

QString PostgresHarness::findBinDir(QString *error)
{
    const auto hasTools = [](const QString &dir) {
        return QFile::exists(dir + QStringLiteral("/initdb")) &&
               QFile::exists(dir + QStringLiteral("/pg_ctl"));
    };
    const QString fromEnv = qEnvironmentVariable("VEZA_PG_BIN_DIR");
    if (!fromEnv.isEmpty()) {
        if (hasTools(fromEnv))
            return fromEnv;
        if (error)
            *error = QStringLiteral("VEZA_PG_BIN_DIR=%1 has no initdb/pg_ctl").arg(fromEnv);
        return {};
    }
    // Newest version first: /usr/lib/postgresql/<major>/bin (Debian's layout).
    QStringList versions =
        QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString &version : versions) {
        const QString dir = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(version);
        if (hasTools(dir))
            return dir;
    }
    const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    if (!initdb.isEmpty() && hasTools(QFileInfo(initdb).absolutePath()))
        return QFileInfo(initdb).absolutePath();
    if (error) {
        *error = QStringLiteral(
            "PostgreSQL server binaries (initdb, pg_ctl) not found in "
            "/usr/lib/postgresql/*/bin, PATH or $VEZA_PG_BIN_DIR: install the 'postgresql' "
            "package (packaging/install-deps.sh) - the storage tests need a real server");
    }
    return {};
}

QString PostgresHarness::dataDirectory() const
{
    return m_dir ? m_dir->path() + QStringLiteral("/data") : QString();
}

QString PostgresHarness::logFile() const
{
    return m_dir ? m_dir->path() + QStringLiteral("/postgres.log") : QString();
}

QString PostgresHarness::url(const QString &database) const
{
    return QStringLiteral("postgresql://%1:veza@127.0.0.1:%2/%3")
        .arg(kSuperuser)
        .arg(m_port)
        .arg(database);
}

bool PostgresHarness::fail(const QString &message)
{
    m_error = message;
    qWarning("PostgresHarness: %s", qPrintable(message));
    return false;
}

bool PostgresHarness::runTool(const QString &tool, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    const QString program = m_binDir + QLatin1Char('/') + tool;
    if (runningAsRoot()) {
        process.setProgram(QStringLiteral("runuser"));
        process.setArguments(
            QStringList{QStringLiteral("-u"), kSystemUser, QStringLiteral("--"), program} +
            arguments);
    } else {
        process.setProgram(program);
        process.setArguments(arguments);
    }
    // The postgres user may not be able to enter the caller's working directory.
    process.setWorkingDirectory(m_dir->path());
    // pg_ctl's server keeps inherited descriptors open: send output to a file, not a pipe.
    const QString outputFile = m_dir->path() + QStringLiteral("/%1.out").arg(tool);
    process.setStandardOutputFile(outputFile);
    process.setStandardErrorFile(outputFile, QIODevice::Append);
    process.start();
    if (!process.waitForStarted(10000))
        return fail(QStringLiteral("cannot start %1: %2").arg(program, process.errorString()));
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return fail(QStringLiteral("%1 timed out").arg(tool));
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        QFile output(outputFile);
        output.open(QIODevice::ReadOnly);
        QString message = QStringLiteral("%1 %2 failed (exit %3): %4")
                              .arg(tool, arguments.join(QLatin1Char(' ')))
                              .arg(process.exitCode())
                              .arg(QString::fromLocal8Bit(output.readAll()).trimmed());
        QFile log(logFile());
        if (log.open(QIODevice::ReadOnly))
            message += QStringLiteral("\nserver log:\n") + QString::fromLocal8Bit(log.readAll());
        return fail(message);
    }
    return true;
}

bool PostgresHarness::initCluster()
{
    QString error;
    m_binDir = findBinDir(&error);
    if (m_binDir.isEmpty())
        return fail(error);
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/veza-pg-XXXXXX"));
    if (!m_dir->isValid())
        return fail(
            QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
    if (runningAsRoot()) {
        const passwd *user = ::getpwnam(kSystemUser.toLocal8Bit().constData());
        if (!user)
            return fail(QStringLiteral("running as root but there is no '%1' system user to "
                                       "run PostgreSQL as (install the postgresql package)")
                            .arg(kSystemUser));
        if (!chownTree(m_dir->path(), user->pw_uid, user->pw_gid))
            return fail(QStringLiteral("cannot give %1 to the postgres user").arg(m_dir->path()));
    }
    m_port = freeLoopbackPort();
    if (m_port == 0)
        return fail(QStringLiteral("no free loopback port"));
    if (!runTool(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-U"), kSuperuser,
                  QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                  QStringLiteral("--locale=C"), QStringLiteral("--no-sync")},
                 120000))
        return false;
    // Settings for a disposable, fast, loopback-only server.
    QFile conf(dataDirectory() + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::Append | QIODevice::Text))
        return fail(QStringLiteral("cannot write postgresql.conf: %1").arg(conf.errorString()));
    conf.write(QStringLiteral("\n# veza test harness\n"
                              "port = %1\n"
                              "listen_addresses = '127.0.0.1'\n"
                              "unix_socket_directories = '%2'\n"
                              "fsync = off\n"
                              "synchronous_commit = off\n"
                              "full_page_writes = off\n"
                              "max_connections = 100\n"
                              "shared_buffers = 32MB\n")
                   .arg(m_port)
                   .arg(m_dir->path())
                   .toUtf8());
    conf.close();
    m_initialized = true;
    return true;
}

bool PostgresHarness::start()
{
    if (m_running)
        return true;
    const bool firstStart = !m_initialized;
    if (firstStart && !initCluster())
        return false;
    if (!runTool(QStringLiteral("pg_ctl"),
                 {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-l"), logFile(),
                  QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                  QStringLiteral("start")},
                 90000))
        return false;
    m_running = true;
    if (firstStart && !createDatabase(QStringLiteral("veza")))
        return false;
    return true;
}

bool PostgresHarness::stop()
{
    if (!m_running)
        return true;
    if (!runTool(QStringLiteral("pg_ctl"),
                 {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-m"),
                  QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("-t"),
                  QStringLiteral("60"), QStringLiteral("stop")},
                 90000))
        return false;
    m_running = false;
    return true;
}

std::optional<QString> PostgresHarness::createDatabase(const QString &name)
{
    static const QRegularExpression validName(QStringLiteral("^[a-z0-9_]+$"));
    if (!validName.match(name).hasMatch()) {
        fail(QStringLiteral("invalid database name \"%1\"").arg(name));
        return std::nullopt;
    }
    if (!m_running) {
        fail(QStringLiteral("PostgreSQL is not running"));
        return std::nullopt;
    }
    const QString connection = QStringLiteral("veza-harness-%1").arg(name);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPort(m_port);
        db.setUserName(kSuperuser);
        db.setDatabaseName(QStringLiteral("postgres"));
        if (!db.open()) {
            fail(QStringLiteral("cannot connect: %1").arg(db.lastError().text()));
        } else {
            // The name is validated above; CREATE DATABASE takes no bind parameters.
            QSqlQuery query(db);
            ok = query.exec(QStringLiteral("CREATE DATABASE \"%1\"").arg(name));
            if (!ok)
                fail(QStringLiteral("CREATE DATABASE %1: %2").arg(name, query.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    if (!ok)
        return std::nullopt;
    return url(name);
}

} // namespace veza::testing
