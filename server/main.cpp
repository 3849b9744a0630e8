// veza-server: configured only by environment variables (docs/configuration.md).
// Exit status: 0 after a clean shutdown or --help/--version/--check-config on a valid
// configuration; 2 for a configuration or usage error; 1 when the server cannot start.
#include "ServerApp.h"
#include "VezaVersion.h"
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

enum class Mode { Serve, Help, Version, CheckConfig };

} // namespace

int main(int argc, char *argv[])
{
    const QString program = QStringLiteral("veza-server");
    Mode mode = Mode::Serve;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h") {
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
        printLine(stdout, QStringLiteral("%1 %2").arg(program, QLatin1StringView(veza::kVersion)));
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
    QStringList warnings;
    // --check-config only validates: it never writes the development secrets.
    if (!config.isProductionLike() && mode == Mode::Serve) {
        if (auto error =
                veza::config::SecretStore(config.dataDir).completeSecrets(config, &warnings)) {
            printLine(stderr, QStringLiteral("%1: invalid configuration: %2").arg(program, *error));
            return kExitConfigError;
        }
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

    // Before any thread exists, so that only the signalfd sees SIGTERM/SIGINT.
    veza::ops::SignalWatcher::blockTerminationSignals();
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
