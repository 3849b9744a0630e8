// veza-server: configured only by environment variables (docs/configuration.md).
// Exit status: 0 after a clean shutdown or --help/--version/--check-config on a valid
// configuration; 2 for a configuration or usage error; 1 when the server cannot start.
// `veza-server token ...` prints a development access token (docs/auth.md).
// `veza-server rekey ...` re-encrypts rows sealed with a previous key (docs/encryption.md); it
// exits 0 when every sealed row is under ENCRYPTION_KEY, 3 when some are not, 1 on failure.
// `veza-server probe [URL]` asks the server's /health/ready (or URL) and exits 0 on a 2xx, 1
// otherwise: the container image's health check (docs/operations.md).
// `veza-server backup DEST` copies the SQLite database while servers run (docs/operations.md);
// it exits 0 when the copy is in place and checked, 1 on failure, 2 for PostgreSQL.
#include "ServerApp.h"
#include "VezaVersion.h"
#include "cli/BackupCommand.h"
#include "cli/ProbeCommand.h"
#include "cli/RekeyCommand.h"
#include "cli/TokenCommand.h"
#include "cli/VersionLine.h"
#include "config/ConfigLoader.h"
#include "config/ConfigReport.h"
#include "config/SecretStore.h"
#include "eventloop/EpollEventDispatcher.h"
#include "logging/JsonLog.h"
#include "ops/ResourceLimits.h"
#include "ops/SignalWatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <cstdio>

Q_LOGGING_CATEGORY(lcMain, "veza.server")

namespace {

constexpr int kExitStartFailure = 1;
constexpr int kExitConfigError = 2;

void printLine(FILE *stream, const QString &line)
{
    std::fprintf(stream, "%s\n", qPrintable(line));
    std::fflush(stream);
}

enum class Mode { Serve, Help, Version, CheckConfig, Token, Rekey, Probe, Backup };

// The arguments after the subcommand's name.
QStringList argumentsAfter(int argc, char *argv[], int index)
{
    QStringList arguments;
    for (int j = index + 1; j < argc; ++j)
        arguments.append(QString::fromLocal8Bit(argv[j]));
    return arguments;
}

} // namespace

int main(int argc, char *argv[])
{
    const QString program = QStringLiteral("veza-server");
    Mode mode = Mode::Serve;
    std::optional<veza::cli::TokenCommand> token;
    std::optional<veza::cli::RekeyCommand> rekey;
    std::optional<veza::cli::ProbeCommand> probe;
    std::optional<veza::cli::BackupCommand> backup;
    // Arguments after a subcommand are its own.
    const auto subcommand = [&mode] {
        return mode == Mode::Token || mode == Mode::Rekey || mode == Mode::Probe ||
               mode == Mode::Backup;
    };
    for (int i = 1; i < argc && !subcommand(); ++i) {
        const QByteArray arg(argv[i]);
        if (i == 1 && arg == "token") {
            QString error;
            token = veza::cli::TokenCommand::parse(argumentsAfter(argc, argv, i), &error);
            if (!token) {
                printLine(stderr, QStringLiteral("%1 token: %2").arg(program, error));
                return kExitConfigError;
            }
            mode = Mode::Token;
        } else if (i == 1 && arg == "rekey") {
            QString error;
            rekey = veza::cli::RekeyCommand::parse(argumentsAfter(argc, argv, i), &error);
            if (!rekey) {
                printLine(stderr, QStringLiteral("%1 rekey: %2").arg(program, error));
                return kExitConfigError;
            }
            mode = Mode::Rekey;
        } else if (i == 1 && arg == "probe") {
            QString error;
            probe = veza::cli::ProbeCommand::parse(argumentsAfter(argc, argv, i), &error);
            if (!probe) {
                printLine(stderr, QStringLiteral("%1 probe: %2").arg(program, error));
                return kExitConfigError;
            }
            mode = Mode::Probe;
        } else if (i == 1 && arg == "backup") {
            QString error;
            backup = veza::cli::BackupCommand::parse(argumentsAfter(argc, argv, i), &error);
            if (!backup) {
                printLine(stderr, QStringLiteral("%1 backup: %2").arg(program, error));
                return kExitConfigError;
            }
            mode = Mode::Backup;
        } else if (arg == "--help" || arg == "-h") {
            mode = Mode::Help;
        } else if (arg == "--version") {
            mode = Mode::Version;
        } else if (arg == "--check-config") {
            mode = Mode::CheckConfig;
        } else {
            printLine(stderr, QStringLiteral("%1: unknown argument \"%2\" (see --help)")
                                  .arg(program, QString::fromLocal8Bit(arg)));
            return kExitConfigError;
        }
    }
    if (mode == Mode::Help) {
        printLine(stdout, veza::config::helpText(program));
        return 0;
    }
    if (mode == Mode::Version) {
        printLine(stdout, veza::cli::versionLine(program));
        return 0;
    }

    const veza::config::ConfigLoadResult loaded =
        veza::config::ConfigLoader(QProcessEnvironment::systemEnvironment()).load();
    if (loaded.error) {
        printLine(
            stderr,
            QStringLiteral("%1: invalid configuration: %2").arg(program, loaded.error->toLine()));
        return kExitConfigError;
    }
    veza::config::ServerConfig config = *loaded.config;
    if (mode == Mode::Probe) {
        // Only reads the configuration (PORT, HOST, TLS): never writes DATA_DIR, which a
        // health check may not be allowed to.
        QCoreApplication app(argc, argv);
        return probe->run(config, stdout, stderr);
    }
    QStringList warnings;
    // --check-config only validates: it never writes the development secrets. `token` must
    // sign with the secret the server will verify with, and `rekey` must seal with the key the
    // server reads with, so they read or create them too. `backup` only says where they are.
    if (!config.isProductionLike() &&
        (mode == Mode::Serve || mode == Mode::Token || mode == Mode::Rekey)) {
        if (auto error =
                veza::config::SecretStore(config.dataDir).completeSecrets(config, &warnings)) {
            printLine(stderr, QStringLiteral("%1: invalid configuration: %2").arg(program, *error));
            return kExitConfigError;
        }
    }
    if (mode == Mode::Token) {
        for (const QString &notice : loaded.notices + warnings)
            printLine(stderr, QStringLiteral("note: %1").arg(notice));
        const QByteArray signedToken =
            token->sign(config.jwtSecret, QDateTime::currentDateTimeUtc(), config.jwtIssuer,
                        config.jwtAudience);
        if (signedToken.isEmpty()) {
            printLine(stderr, QStringLiteral("%1 token: cannot sign (no JWT secret)").arg(program));
            return kExitStartFailure;
        }
        printLine(stdout, QString::fromLatin1(signedToken));
        return 0;
    }
    if (mode == Mode::Rekey) {
        for (const QString &notice : loaded.notices + warnings)
            printLine(stderr, QStringLiteral("note: %1").arg(notice));
        // QtSql loads its drivers as plugins, which wants an application object; the storage
        // module's informational lines would only interleave with the progress.
        QCoreApplication app(argc, argv);
        veza::logging::applyLogLevel(QStringLiteral("warn"));
        return rekey->run(config, stdout, stderr);
    }
    if (mode == Mode::Backup) {
        for (const QString &notice : loaded.notices)
            printLine(stderr, QStringLiteral("note: %1").arg(notice));
        return backup->run(config, stdout, stderr);
    }
    if (mode == Mode::CheckConfig) {
        printLine(stdout, veza::config::effectiveConfigReport(config));
        if (!config.isProductionLike() &&
            (config.jwtSecret.isEmpty() || config.encryptionKey.isEmpty()))
            warnings.append(QStringLiteral("unset JWT_SECRET/ENCRYPTION_KEY will be read from or "
                                           "generated into %1 at start (development only)")
                                .arg(veza::config::SecretStore(config.dataDir).secretsDir()));
        for (const QString &notice : loaded.notices + warnings)
            printLine(stderr, QStringLiteral("note: %1").arg(notice));
        return 0;
    }

    // Before any thread exists, so that only the signalfd sees SIGTERM/SIGINT/SIGHUP.
    veza::ops::SignalWatcher::blockHandledSignals();
    const long openFiles = veza::ops::raiseOpenFileLimit();

    QCoreApplication::setEventDispatcher(new veza::eventloop::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    app.setApplicationName(program);
    app.setApplicationVersion(QLatin1StringView(veza::kVersion));

    veza::logging::installJsonLogHandler(
        {config.serviceName, config.version, veza::config::environmentName(config.environment)});
    veza::logging::applyLogLevel(config.logLevel);
    veza::logging::log(lcMain(), QtInfoMsg, QStringLiteral("starting"),
                       {{QStringLiteral("open_files_limit"), static_cast<qint64>(openFiles)},
                        {QStringLiteral("worker_threads"), config.workerThreads},
                        {QStringLiteral("blocking_threads"), config.blockingThreads}});
    for (const QString &notice : loaded.notices)
        qCInfo(lcMain).noquote() << notice;
    for (const QString &warning : std::as_const(warnings))
        qCWarning(lcMain).noquote() << warning;

    veza::ServerApp server(std::move(config));
    if (auto error = server.start()) {
        qCCritical(lcMain).noquote() << "cannot start:" << *error;
        return kExitStartFailure;
    }
    return app.exec();
}
