#pragma once

#include "config/ServerConfig.h"

#include <QProcessEnvironment>
#include <QStringList>
#include <optional>

namespace veza::config {

// Why the configuration was refused: one variable, its (redacted) value, what was expected.
struct ConfigError
{
    QString variable;
    QString shownValue;
    QString expected;

    // "PORT=\"70000\": expected an integer between 0 and 65535"
    QString toLine() const;
};

struct ConfigLoadResult
{
    std::optional<ServerConfig> config;
    std::optional<ConfigError> error;
    QStringList notices; // e.g. variables set for features that are not active yet
};

// Builds a ServerConfig from environment variables (names and defaults in ConfigVariables),
// validating every value. Pure: touches no file; secrets are completed by SecretStore.
class ConfigLoader
{
public:
    explicit ConfigLoader(QProcessEnvironment environment);

    ConfigLoadResult load() const;

private:
    QProcessEnvironment m_environment;
};

} // namespace veza::config
