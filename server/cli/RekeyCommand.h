#pragma once

#include "rekey/Rekeyer.h"

#include <QString>
#include <QStringList>
#include <cstdio>
#include <optional>

namespace veza::config {
struct ServerConfig;
}

// `veza-server rekey [--check] [--batch-size N] [--pause-ms MS]`: re-encrypts, under
// ENCRYPTION_KEY, every row still sealed with a key of ENCRYPTION_KEYS_PREVIOUS, in small
// batches while servers keep running on the same database, printing progress and, at the end,
// the rows left under each key id; `--check` only prints those counts (docs/encryption.md).
// Parsed before the configuration is loaded; run on the main thread, before any server starts.
namespace veza::cli {

class RekeyCommand
{
public:
    // Exit statuses besides 0 (every sealed row is under the current key) and 2 (usage or
    // configuration error, decided by the caller).
    static constexpr int ExitCannotRun = 1; // the database cannot be opened or keeps failing
    static constexpr int ExitRowsLeft = 3;  // rows remain under another key (or --check found some)

    // The arguments after "rekey". Returns nothing and sets *error (one line) when they are
    // not acceptable.
    static std::optional<RekeyCommand> parse(const QStringList &arguments, QString *error);
    static QString usage();

    // Runs against the configured database with the configured keys; progress and results on
    // `out`, failures on `err`. Returns the exit status.
    int run(const config::ServerConfig &config, FILE *out, FILE *err) const;

    bool checkOnly() const { return m_checkOnly; }
    rekey::RekeyOptions options() const { return m_options; }

private:
    RekeyCommand() = default;

    bool m_checkOnly = false;
    rekey::RekeyOptions m_options;
};

} // namespace veza::cli
