#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>
#include <chrono>
#include <cstdio>
#include <optional>

namespace veza::config {
struct ServerConfig;
}

// `veza-server probe [URL]`: one GET of URL, by default this configuration's own readiness check
// (http://127.0.0.1:PORT/health/ready, https with TLS on), exit 0 on a 2xx answer and 1
// otherwise. The container image's HEALTHCHECK runs it, so the image needs no curl.
// Parsed before the configuration is loaded; run on the main thread with an application object.
namespace veza::cli {

class ProbeCommand
{
public:
    static constexpr int ExitUnhealthy = 1;            // no answer in time, or not a 2xx
    static constexpr std::chrono::seconds kTimeout{4}; // below the image's 5 s check timeout

    // The arguments after "probe". Returns nothing and sets *error (one line) when they are
    // not acceptable.
    static std::optional<ProbeCommand> parse(const QStringList &arguments, QString *error);
    static QString usage();

    // The URL asked: the one given, or the configuration's readiness check on loopback.
    QUrl url(const config::ServerConfig &config) const;

    // Asks, prints "STATUS BODY" (one line) on `out`, or the failure on `err`; returns the exit
    // status.
    int run(const config::ServerConfig &config, FILE *out, FILE *err) const;

private:
    ProbeCommand() = default;

    QUrl m_url; // empty: the configuration's own readiness check
};

} // namespace veza::cli
