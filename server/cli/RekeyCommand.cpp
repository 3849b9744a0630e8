#include "cli/RekeyCommand.h"

#include "cli/RekeyReport.h"
#include "config/ServerConfig.h"
#include "crypto/KeyRing.h"
#include "crypto/MessageCipher.h"
#include "rekey/KeyCensus.h"
#include "storage/Database.h"

#include <QElapsedTimer>

namespace veza::cli {
namespace {

constexpr int kMaxBatchSize = 10000;
constexpr int kMaxPauseMs = 60000;
constexpr qint64 kProgressIntervalMs = 1000;

void print(FILE *stream, const QString &line)
{
    std::fprintf(stream, "%s\n", qPrintable(line));
    std::fflush(stream);
}

void print(FILE *stream, const QStringList &lines)
{
    for (const QString &line : lines)
        print(stream, line);
}

std::optional<int> number(const QString &text, int min, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    return ok && value >= min && value <= max ? std::optional(value) : std::nullopt;
}

} // namespace

QString RekeyCommand::usage()
{
    return QStringLiteral("usage: veza-server rekey [--check] [--batch-size 500] [--pause-ms 10]");
}

std::optional<RekeyCommand> RekeyCommand::parse(const QStringList &arguments, QString *error)
{
    RekeyCommand command;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        QString option = arguments.at(i);
        if (option == u"--check") {
            command.m_checkOnly = true;
            continue;
        }
        // Both "--batch-size 100" and "--batch-size=100".
        QString value;
        const qsizetype equals = option.startsWith(u"--") ? option.indexOf(u'=') : -1;
        if (equals > 0) {
            value = option.mid(equals + 1);
            option.truncate(equals);
        }
        if (option != u"--batch-size" && option != u"--pause-ms") {
            *error = QStringLiteral("unknown option \"%1\"; %2").arg(option, usage());
            return std::nullopt;
        }
        if (equals < 0) {
            if (i + 1 >= arguments.size()) {
                *error = QStringLiteral("option \"%1\" needs a value; %2").arg(option, usage());
                return std::nullopt;
            }
            value = arguments.at(++i);
        }
        const bool batch = option == u"--batch-size";
        const auto parsed = batch ? number(value, 1, kMaxBatchSize) : number(value, 0, kMaxPauseMs);
        if (!parsed) {
            *error = QStringLiteral("%1=\"%2\": expected an integer between %3 and %4")
                         .arg(option, value)
                         .arg(batch ? 1 : 0)
                         .arg(batch ? kMaxBatchSize : kMaxPauseMs);
            return std::nullopt;
        }
        (batch ? command.m_options.batchSize : command.m_options.pauseMs) = *parsed;
    }
    return command;
}

int RekeyCommand::run(const config::ServerConfig &config, FILE *out, FILE *err) const
{
    // The configuration was validated by ConfigLoader: the keys have their size, the URL parses.
    QString keyError;
    std::optional<crypto::KeyRing> keys =
        crypto::KeyRing::create(config.encryptionKey, config.encryptionKeysPrevious, &keyError);
    const std::optional<storage::DatabaseUrl> url = storage::DatabaseUrl::parse(config.databaseUrl);
    if (!keys || !url) {
        print(
            err,
            QStringLiteral("veza-server rekey: %1").arg(keys ? u"bad DATABASE_URL"_qs : keyError));
        return ExitCannotRun;
    }
    const crypto::MessageCipher cipher(std::move(*keys));
    const crypto::KeyRing &ring = cipher.keyRing();

    storage::DatabaseOptions options;
    options.url = *url;
    options.poolSize = 1; // one batch at a time: the live servers keep the rest
    options.maxThreads = 1;
    options.timeoutMs = config.databaseTimeoutMs; // also SQLite's busy timeout
    options.sqliteFullSync = config.sqliteFullSync;
    storage::Database database(options);
    if (auto error = database.open()) {
        print(err, QStringLiteral("veza-server rekey: database: %1").arg(*error));
        return ExitCannotRun;
    }
    QStringList previousIds = ring.keyIds();
    previousIds.removeFirst();
    print(out, QStringLiteral("rekey %1: current key %2, previous keys %3")
                   .arg(url->redacted(), ring.currentKeyId(),
                        previousIds.isEmpty() ? u"none"_qs : previousIds.join(u", ")));

    const auto takeCensus = [&database, err]() -> std::optional<rekey::KeyCensus> {
        try {
            return database.run(&rekey::KeyCensus::take).result();
        } catch (const std::exception &e) {
            print(err, QStringLiteral("veza-server rekey: database: %1").arg(e.what()));
            return std::nullopt;
        }
    };
    const std::optional<rekey::KeyCensus> before = takeCensus();
    if (!before)
        return ExitCannotRun;
    print(out, QStringLiteral("sealed rows by key%1:").arg(m_checkOnly ? u""_qs : u" before"_qs));
    print(out, rekeyreport::censusTable(*before, ring));
    if (m_checkOnly) {
        print(out, rekeyreport::verdict(*before, ring, false));
        return rekeyreport::allCurrent(*before, ring) ? 0 : ExitRowsLeft;
    }

    QElapsedTimer sincePrint;
    const rekey::RekeyResult result =
        rekey::Rekeyer(database, cipher, m_options)
            .run(*before, [out, &sincePrint](const rekey::TableProgress &progress) {
                // A line a second at most: a large table must not flood the terminal.
                if (!progress.finished && sincePrint.isValid() &&
                    sincePrint.elapsed() < kProgressIntervalMs)
                    return;
                print(out, rekeyreport::progressLines(progress));
                sincePrint.start();
            });
    if (result.error) {
        print(err, QStringLiteral("veza-server rekey: database: %1; what is done stays done, "
                                  "run rekey again to go on")
                       .arg(*result.error));
        return ExitCannotRun;
    }

    const std::optional<rekey::KeyCensus> after = takeCensus();
    if (!after)
        return ExitCannotRun;
    print(out, QStringLiteral("sealed rows by key after:"));
    print(out, rekeyreport::censusTable(*after, ring));
    print(out, rekeyreport::verdict(*after, ring, true));
    return rekeyreport::allCurrent(*after, ring) ? 0 : ExitRowsLeft;
}

} // namespace veza::cli
